import type { Kysely, Selectable } from 'kysely';
import { readJson, writeNullableJson } from './json-column.js';
import type { RepositoryOptions } from './repository-options.js';
import { isoNow } from './repository-options.js';
import type { Database, SyncStateTable } from './schema.js';

/** Where a sync stands between runs. */
export type SyncStatus = 'idle' | 'running' | 'failed' | 'paused';

/** The stored state of one sync. */
export interface SyncStateRecord {
  syncKey: string;
  /** The sync's own cursor/state (JSON-safe), e.g. a worker's state or a mirror's delta cursor. */
  state: unknown;
  /** The current cycle number (a cycle is one complete pass over the source). 0 before the first. */
  cycle: number;
  cycleStartedAt: string | null;
  status: SyncStatus;
  consecutiveFailures: number;
  nextRunAt: string | null;
  updatedAt: string;
}

/** The fields `save` may change; the rest keep their stored (or default) values. */
export type SyncStatePatch = Partial<Omit<SyncStateRecord, 'syncKey' | 'updatedAt'>>;

/** The `sync_state` table: one row per sync key. */
export class SyncStateRepository {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** The state of `syncKey`, or `undefined` before its first save. */
  async get(syncKey: string): Promise<SyncStateRecord | undefined> {
    const row = await this.#row(syncKey);
    return row === undefined ? undefined : this.#toRecord(row);
  }

  /** Every sync's state, by key. */
  async list(): Promise<SyncStateRecord[]> {
    const rows = await this.#db.selectFrom('sync_state').selectAll().orderBy('sync_key').execute();
    return rows.map((r) => this.#toRecord(r));
  }

  /**
   * Creates or updates the state of `syncKey`: fields absent from `patch` keep their stored values (new
   * rows start at cycle 0, status `idle`, no failures). Returns the saved record. Call it inside the
   * transaction that commits the batch it describes (DESIGN invariant 2).
   */
  async save(syncKey: string, patch: SyncStatePatch): Promise<SyncStateRecord> {
    // The stored state is read only when the patch keeps it (a mirror's scan checkpoint, saved with every
    // page of results, can hold thousands of ids).
    const stored = Object.hasOwn(patch, 'state')
      ? await this.#rowWithoutState(syncKey)
      : await this.#row(syncKey);
    const current = stored === undefined ? undefined : this.#toRecord(stored);
    const next: SyncStateRecord = {
      syncKey,
      state: null,
      cycle: 0,
      cycleStartedAt: null,
      status: 'idle',
      consecutiveFailures: 0,
      nextRunAt: null,
      ...current,
      ...patch,
      updatedAt: isoNow(this.#options.clock),
    };
    const row = {
      sync_key: syncKey,
      state: writeNullableJson(next.state),
      cycle: next.cycle,
      cycle_started_at: next.cycleStartedAt,
      status: next.status,
      consecutive_failures: next.consecutiveFailures,
      next_run_at: next.nextRunAt,
      updated_at: next.updatedAt,
    };
    await this.#db
      .insertInto('sync_state')
      .values(row)
      .onConflict((oc) => oc.column('sync_key').doUpdateSet({ ...row }))
      .execute();
    return next;
  }

  /** Syncs whose `next_run_at` is at or before `at` (ISO), soonest first. */
  async listDue(at: string): Promise<SyncStateRecord[]> {
    const rows = await this.#db
      .selectFrom('sync_state')
      .selectAll()
      .where('next_run_at', '<=', at)
      .where('status', '!=', 'paused')
      .orderBy('next_run_at')
      .execute();
    return rows.map((r) => this.#toRecord(r));
  }

  /** Forgets a sync's state. Returns whether it existed. */
  async delete(syncKey: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('sync_state').where('sync_key', '=', syncKey).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  #row(syncKey: string): Promise<Selectable<SyncStateTable> | undefined> {
    return this.#db.selectFrom('sync_state').selectAll().where('sync_key', '=', syncKey).executeTakeFirst();
  }

  /** The row with `state` left out (read as `null`). */
  async #rowWithoutState(syncKey: string): Promise<Selectable<SyncStateTable> | undefined> {
    const row = await this.#db
      .selectFrom('sync_state')
      .select([
        'sync_key',
        'cycle',
        'cycle_started_at',
        'status',
        'consecutive_failures',
        'next_run_at',
        'updated_at',
      ])
      .where('sync_key', '=', syncKey)
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, state: null };
  }

  #toRecord(row: Selectable<SyncStateTable>): SyncStateRecord {
    return {
      syncKey: row.sync_key,
      state: readJson(this.#options.dialect, row.state),
      cycle: row.cycle,
      cycleStartedAt: row.cycle_started_at,
      status: row.status as SyncStatus,
      consecutiveFailures: row.consecutive_failures,
      nextRunAt: row.next_run_at,
      updatedAt: row.updated_at,
    };
  }
}
