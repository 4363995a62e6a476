import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { StoreError } from '../errors.js';
import type { LogLevel } from '../logger.js';
import { readJson, writeNullableJson } from './json-column.js';
import type { RepositoryOptions } from './repository-options.js';
import { isoNow } from './repository-options.js';
import type { Database, RunEventsTable, RunsTable } from './schema.js';

/** What a run does. */
export type RunKind = 'mirror' | 'sync' | 'push' | 'sweep';
/** Where a run stands. `running` until it finishes; `partial` when some batches failed. */
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

/** Per-run counters of what happened to pages/rows. */
export interface RunCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  restored: number;
  failed: number;
}

/** One run, as stored. */
export interface RunRecord {
  id: string;
  kind: RunKind;
  /** The sync key, mirror target or database the run worked on. */
  target: string;
  /** What started it: `manual`, `schedule`, `api`, `mcp`, … */
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  counts: RunCounts;
  apiCalls: number;
  /** The JSON-safe error (`NotionSyncError.toJSON()`), when the run failed. */
  error: unknown;
}

/** One entry of a run's log. */
export interface RunEvent {
  runId: string;
  /** 1, 2, 3, … within the run. */
  seq: number;
  at: string;
  level: LogLevel;
  message: string;
  fields: Record<string, unknown> | null;
}

/** Runs of one kind, target and status, summed (`RunsRepository.totals`). */
export interface RunTotals {
  kind: RunKind;
  target: string;
  status: RunStatus;
  runs: number;
  counts: RunCounts;
  apiCalls: number;
  /** The latest `finishedAt` of these runs, or null. */
  lastFinishedAt: string | null;
}

/** Zero counts. */
export const ZERO_COUNTS: Readonly<RunCounts> = Object.freeze({
  created: 0,
  updated: 0,
  unchanged: 0,
  deleted: 0,
  restored: 0,
  failed: 0,
});

/** Retries of an event append that lost the race for its sequence number. */
const MAX_EVENT_APPEND_ATTEMPTS = 50;

/** Default page size of `list` and `listEvents`. */
export const DEFAULT_RUN_LIST_LIMIT = 50;

/** The `runs` and `run_events` tables: the audit trail of every run. */
export class RunsRepository {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** Records the start of a run (status `running`) and returns it. `id` defaults to a random UUID. */
  async start(input: { kind: RunKind; target: string; trigger: string; id?: string }): Promise<RunRecord> {
    const row = {
      id: input.id ?? randomUUID(),
      kind: input.kind,
      target: input.target,
      trigger: input.trigger,
      started_at: isoNow(this.#options.clock),
      finished_at: null,
      status: 'running',
      error: null,
    };
    await this.#db.insertInto('runs').values(row).execute();
    return { ...this.#toRecord({ ...row, ...ZERO_COUNTS, api_calls: 0 }) };
  }

  /** Saves progress of a running run: counts so far and API calls so far (absolute values). */
  async updateProgress(
    id: string,
    progress: { counts?: Partial<RunCounts>; apiCalls?: number },
  ): Promise<void> {
    await this.#db
      .updateTable('runs')
      .set({
        ...progress.counts,
        ...(progress.apiCalls === undefined ? {} : { api_calls: progress.apiCalls }),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Records the end of a run. */
  async finish(
    id: string,
    outcome: {
      status: Exclude<RunStatus, 'running'>;
      counts?: Partial<RunCounts>;
      apiCalls?: number;
      error?: unknown;
    },
  ): Promise<void> {
    await this.#db
      .updateTable('runs')
      .set({
        ...outcome.counts,
        ...(outcome.apiCalls === undefined ? {} : { api_calls: outcome.apiCalls }),
        status: outcome.status,
        finished_at: isoNow(this.#options.clock),
        error: writeNullableJson(outcome.error),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Marks every run of `target` still `running` as `failed` with `error`, and returns their ids. Call it
   * right after taking the target's lease: whoever ran them before no longer holds it, so they were
   * abandoned (a crash, a kill) and will never finish on their own.
   */
  async failAbandoned(target: string, error: unknown): Promise<string[]> {
    const rows = await this.#db
      .updateTable('runs')
      .set({ status: 'failed', finished_at: isoNow(this.#options.clock), error: writeNullableJson(error) })
      .where('target', '=', target)
      .where('status', '=', 'running')
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort();
  }

  /** One run, or `undefined`. */
  async get(id: string): Promise<RunRecord | undefined> {
    const row = await this.#db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : this.#toRecord(row);
  }

  /**
   * Runs, newest first, optionally of one target or kind. `before` pages on: pass the `startedAt` and `id`
   * of the last run of a page to get the runs after it (keyset, stable while runs are added).
   */
  async list(
    filter: {
      target?: string;
      kind?: RunKind;
      status?: RunStatus;
      limit?: number;
      before?: { startedAt: string; id: string };
    } = {},
  ): Promise<RunRecord[]> {
    let query = this.#db.selectFrom('runs').selectAll();
    if (filter.target !== undefined) query = query.where('target', '=', filter.target);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    const before = filter.before;
    if (before !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('started_at', '<', before.startedAt),
          eb.and([eb('started_at', '=', before.startedAt), eb('id', '<', before.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? DEFAULT_RUN_LIST_LIMIT)
      .execute();
    return rows.map((r) => this.#toRecord(r));
  }

  /**
   * Totals of every run grouped by kind, target and status: how many runs, the sums of their counts and API
   * calls, and the latest `finishedAt` (the metrics endpoint's source).
   */
  async totals(): Promise<RunTotals[]> {
    const rows = await this.#db
      .selectFrom('runs')
      .select((eb) => [
        'kind',
        'target',
        'status',
        eb.fn.countAll<number>().as('runs'),
        eb.fn.sum<number>('created').as('created'),
        eb.fn.sum<number>('updated').as('updated'),
        eb.fn.sum<number>('unchanged').as('unchanged'),
        eb.fn.sum<number>('deleted').as('deleted'),
        eb.fn.sum<number>('restored').as('restored'),
        eb.fn.sum<number>('failed').as('failed'),
        eb.fn.sum<number>('api_calls').as('api_calls'),
        eb.fn.max('finished_at').as('last_finished_at'),
      ])
      .groupBy(['kind', 'target', 'status'])
      .orderBy('kind')
      .orderBy('target')
      .orderBy('status')
      .execute();
    return rows.map((r) => ({
      kind: r.kind as RunKind,
      target: r.target,
      status: r.status as RunStatus,
      runs: Number(r.runs),
      counts: {
        created: Number(r.created),
        updated: Number(r.updated),
        unchanged: Number(r.unchanged),
        deleted: Number(r.deleted),
        restored: Number(r.restored),
        failed: Number(r.failed),
      },
      apiCalls: Number(r.api_calls),
      lastFinishedAt: r.last_finished_at ?? null,
    }));
  }

  /**
   * Appends an event to a run's log and returns its sequence number (1, 2, …). Safe under concurrent
   * appends to the same run: the number is computed in the insert itself, and an insert that lost a race
   * for a number (unique on run id + seq) retries with the next one.
   */
  async appendEvent(
    runId: string,
    event: { level: LogLevel; message: string; fields?: Record<string, unknown> },
  ): Promise<number> {
    const at = isoNow(this.#options.clock);
    const fields = writeNullableJson(event.fields);
    for (let attempt = 1; ; attempt++) {
      const row = await this.#db
        .insertInto('run_events')
        .values((eb) => ({
          run_id: runId,
          seq: eb
            .selectFrom('run_events')
            .select(sql<number>`coalesce(max(seq), 0) + 1`.as('next'))
            .where('run_id', '=', runId),
          at,
          level: event.level,
          message: event.message,
          fields,
        }))
        .onConflict((oc) => oc.columns(['run_id', 'seq']).doNothing())
        .returning('seq')
        .executeTakeFirst();
      if (row !== undefined) return Number(row.seq);
      if (attempt >= MAX_EVENT_APPEND_ATTEMPTS) {
        throw new StoreError(`Could not append an event to run ${runId}: too many concurrent appends.`, {
          hint: 'Append the events of one run from one place, or retry.',
        });
      }
    }
  }

  /** A run's events in order, after `afterSeq` (exclusive). */
  async listEvents(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<RunEvent[]> {
    const rows = await this.#db
      .selectFrom('run_events')
      .selectAll()
      .where('run_id', '=', runId)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq')
      .limit(options.limit ?? DEFAULT_RUN_LIST_LIMIT)
      .execute();
    return rows.map((r) => this.#toEvent(r));
  }

  #toRecord(row: Selectable<RunsTable>): RunRecord {
    return {
      id: row.id,
      kind: row.kind as RunKind,
      target: row.target,
      trigger: row.trigger,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      status: row.status as RunStatus,
      counts: {
        created: row.created,
        updated: row.updated,
        unchanged: row.unchanged,
        deleted: row.deleted,
        restored: row.restored,
        failed: row.failed,
      },
      apiCalls: row.api_calls,
      error: readJson(this.#options.dialect, row.error),
    };
  }

  #toEvent(row: Selectable<RunEventsTable>): RunEvent {
    return {
      runId: row.run_id,
      seq: row.seq,
      at: row.at,
      level: row.level as LogLevel,
      message: row.message,
      fields: readJson(this.#options.dialect, row.fields) as Record<string, unknown> | null,
    };
  }
}
