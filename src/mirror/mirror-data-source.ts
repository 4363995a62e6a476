/**
 * Mirrors one data source into the replica: schema and typed view, then a backfill, a delta or a full
 * scan, then (after a complete scan only) delete detection.
 *
 * Decisions, and why:
 * - **Backfill and full scans** read every row sorted by `created_time` through
 *   `gateway.queryDataSourceAll` (windows past the 10,000-row cap). The rows of each page of results and
 *   the scan's checkpoint commit in one transaction (DESIGN invariant 2), so an interrupted scan resumes
 *   right after its last committed page; repeating a page is harmless because the replica appends a
 *   version only when a hash changes.
 * - **Delta** queries `last_edited_time on_or_after (watermark − overlap)` sorted by `last_edited_time`.
 *   The overlap covers minute-granular timestamps (same-minute edits are re-read and dropped by content
 *   hash). The new watermark is `runStart − consistencyBuffer`, floored to the minute, so rows the query
 *   index had not yet caught up with are re-read next time (invariant 5); it is saved only after a
 *   complete pass without failures. A delta page marked `request_status: incomplete` (past the cap) never
 *   truncates silently: the run falls back to a full scan.
 * - **Deletes**: absence from a filtered or incremental query is never taken as a delete. Only after a
 *   complete, unfiltered scan without failures is each replica page the scan did not see looked up with
 *   `pages.retrieve`: `in_trash` → deleted (`trashed`); another parent → `moved_out`; 404 →
 *   `gone_or_unshared` (soft delete: a tombstone version, the row kept). A page that retrieves fine in this
 *   data source is kept (the query index lagged).
 * - **Trashed rows in deltas**: trashing bumps `last_edited_time`, but trashed rows drop out of default
 *   queries, and the semantics of the query's `in_trash` flag are unverified (notion-api-facts §6). So a
 *   delta neither sees nor infers trash; `--full` (or the next backfill) detects it. Correctness never
 *   depends on `in_trash` query semantics.
 * - **Bodies** are read only for a page that is new, restored, has no stored body, or whose
 *   `last_edited_time` or content hash changed. Several pages are read at once (`bodyConcurrency`), so
 *   the gateway's pacer, not latency, sets the rate.
 * - **Schema** (`SchemaTracker`): a delta reuses the stored schema and checks each page of results against
 *   it; a disagreeing row makes the run read the schema again. Renames, removals and type changes make
 *   stored rows stale (values are keyed by property name), so they trigger a full re-read of the rows (the
 *   pass restarts with it); each re-read row appends a version, and old versions keep their JSON. The
 *   typed view is rebuilt; its column map (by property id) keeps a renamed property's column.
 * @module
 */
import { APIErrorCode, APIResponseError, isFullPage } from '@notionhq/client';
import type { PageObjectResponse } from '@notionhq/client';
import { isNotionSyncError, LeaseHeldError } from '../errors.js';
import type { NotionGateway } from '../notion/gateway.js';
import { queryDataSourceAll } from '../notion/query-data-source-all.js';
import type { DataSourceRow, QueryFn } from '../notion/query-data-source-all.js';
import { MAX_PAGE_SIZE } from '../notion/limits.js';
import { describeNotionError, toNotionSyncError } from '../notion/notion-api-error.js';
import type { PageInput } from '../store/replica-repository.js';
import type { RunCounts } from '../store/runs-repository.js';
import { ZERO_COUNTS } from '../store/runs-repository.js';
import type { Store } from '../store/store.js';
import { mapConcurrent } from './map-concurrent.js';
import { readAhead } from './read-ahead.js';
import { describeHeldLease, leaseHeldError } from '../schedule/held-lease.js';
import { runLeaseHolder } from '../schedule/lease-holder.js';
import type { MirrorContext } from './mirror-context.js';
import { addCounts, floorToMinuteIso } from './mirror-context.js';
import type { MirrorDataSourceOutcome, MirrorMode } from './mirror-options.js';
import { readPageBody, readPageRow } from './read-page.js';
import type { ResolvedDataSource } from './resolve-source.js';
import { asScanState, compactCheckpoint, mirrorStateKey, newScan, resumePoint } from './scan-state.js';
import type { ScanState } from './scan-state.js';
import { SchemaTracker } from './schema-tracker.js';

export { mirrorStateKey };

/**
 * The name of the lease a run holds while it mirrors a data source. Not `mirror:<id>`: that is also the
 * scheduler's lease of a mirror job named by a data source id, which the run's own scheduler holds.
 */
export function mirrorLeaseName(dataSourceId: string): string {
  return `mirror-source:${dataSourceId}`;
}

/**
 * How long a run holds a data source before another run may take it over, renewed after every committed
 * page of results (so only a run that stopped without releasing it, e.g. a crash, lets it expire).
 */
export const MIRROR_LEASE_TTL_MS = 10 * 60_000;

/** Page failures recorded individually in the run log, per data source (the rest are only counted). */
const MAX_FAILURE_EVENTS = 20;

/** Mirrors one resolved data source; never throws (a failure is the outcome's `error`). */
export async function mirrorDataSource(
  ctx: MirrorContext,
  source: ResolvedDataSource,
): Promise<MirrorDataSourceOutcome> {
  const counts: RunCounts = { ...ZERO_COUNTS };
  let mode: MirrorMode = 'delta';
  const failures = { logged: 0 };
  const job = new DataSourceJob(ctx, source, counts, failures);
  const lease = mirrorLeaseName(source.id);
  const holder = runLeaseHolder(ctx.runId);
  let leased = false;
  try {
    const acquired = await ctx.store.leases.acquire(lease, holder, MIRROR_LEASE_TTL_MS);
    if (!acquired.acquired) {
      throw acquired.heldBy === undefined
        ? new LeaseHeldError(`Another mirror run is mirroring data source ${source.id}.`, {
            hint: 'Wait for it to finish (`notion-sync runs list`), then run again.',
          })
        : leaseHeldError(`Mirroring data source ${source.id}`, describeHeldLease(acquired.heldBy));
    }
    leased = true;
    await job.prepare();
    // A pass stops at most once to restart: when the query results showed a schema change that makes the
    // stored rows stale (the rescan it scheduled then runs); the schema is not read again in this run.
    for (;;) {
      const pass = await runPass(ctx, job, source);
      mode = pass.mode;
      if (pass.result !== 'restart') return await job.finish(mode, pass.result);
    }
  } catch (error) {
    const converted = toNotionSyncError(error);
    await ctx.event('error', 'data source failed', {
      dataSourceId: source.id,
      error: describeNotionError(error),
    });
    return {
      id: source.id,
      databaseId: source.databaseId,
      title: source.title,
      view: job.view,
      mode,
      status: 'failed',
      counts,
      error: errorJson(converted),
    };
  } finally {
    if (leased) await ctx.store.leases.release(lease, holder).catch(() => false);
  }
}

/** One pass over a data source: the scan saved in its sync state, a delta, or a new backfill or full scan. */
async function runPass(
  ctx: MirrorContext,
  job: DataSourceJob,
  source: ResolvedDataSource,
): Promise<{ mode: MirrorMode; result: PassResult | 'restart' }> {
  const stateRecord = await ctx.store.syncState.get(mirrorStateKey(source.id));
  let saved = asScanState(stateRecord?.state);
  // A scan that has read nothing yet (scheduled by a schema change or a failed scan) starts now. So does an
  // interrupted one when `full` is asked: resuming would keep the rows it read before stale until a delta.
  if (saved !== undefined && (saved.checkpoint === null || ctx.forceFull))
    saved = { ...saved, startedAtMs: ctx.runStartMs, checkpoint: null, seenMark: null, failures: 0 };
  if (saved !== undefined) {
    if (saved.checkpoint !== null) {
      await ctx.event('info', 'scan resumed', {
        dataSourceId: source.id,
        mode: saved.mode,
        checkpoint: saved.checkpoint,
      });
    }
    return { mode: saved.mode, result: await job.scan(saved) };
  }
  const watermark = (await ctx.store.replica.getDataSource(source.id))?.watermark ?? null;
  let mode: MirrorMode = watermark === null ? 'backfill' : ctx.forceFull ? 'full' : 'delta';
  if (watermark !== null && mode === 'delta') {
    const result = await job.delta(watermark);
    if (result !== 'capped') return { mode, result };
    mode = 'full';
    await ctx.event('warn', 'delta capped, falling back to a full scan', { dataSourceId: source.id });
  }
  const scan =
    mode === 'backfill' ? newScan('backfill', ctx.runStartMs, true) : newScan('full', ctx.runStartMs, false);
  return { mode, result: await job.scan(scan) };
}

/** The JSON form of an error for outcomes and `runs.error`. */
export function errorJson(error: unknown): unknown {
  if (isNotionSyncError(error)) return error.toJSON();
  return { name: error instanceof Error ? error.name : 'Error', message: describeNotionError(error) };
}

type PassResult = { readonly complete: boolean; readonly cancelled: boolean };

/** The work on one data source within one run. */
class DataSourceJob {
  readonly #ctx: MirrorContext;
  readonly #source: ResolvedDataSource;
  readonly #counts: RunCounts;
  readonly #failures: { logged: number };
  readonly #schema: SchemaTracker;
  #pagesDone = 0;
  #estimate: number | undefined;
  #leaseRenewedAt: number;

  constructor(
    ctx: MirrorContext,
    source: ResolvedDataSource,
    counts: RunCounts,
    failures: { logged: number },
  ) {
    this.#ctx = ctx;
    this.#source = source;
    this.#counts = counts;
    this.#failures = failures;
    this.#leaseRenewedAt = ctx.clock.now();
    this.#schema = new SchemaTracker(ctx, source);
  }

  /** The typed view's name, once the schema is known. */
  get view(): string | null {
    return this.#schema.view;
  }

  /** Stores what discovery found (see `SchemaTracker`). */
  async prepare(): Promise<void> {
    await this.#schema.prepare();
  }

  /** Renews the data source's lease once a third of its time has passed (not on every batch). */
  async #renewLease(): Promise<void> {
    const now = this.#ctx.clock.now();
    if (now - this.#leaseRenewedAt < MIRROR_LEASE_TTL_MS / 3) return;
    const lease = await this.#ctx.store.leases.renew(
      mirrorLeaseName(this.#source.id),
      runLeaseHolder(this.#ctx.runId),
      MIRROR_LEASE_TTL_MS,
    );
    if (lease === undefined) {
      // It expired and another run took it: stop; what this run committed stays (each batch is whole).
      throw new LeaseHeldError(`This run lost its lease on data source ${this.#source.id} to another run.`, {
        hint: 'Another mirror run is working on it now; check `notion-sync runs list`.',
      });
    }
    this.#leaseRenewedAt = now;
  }

  /**
   * A delta pass; `'capped'` when Notion's result cap cut it (the caller falls back to a full scan),
   * `'restart'` when its results showed a schema change that scheduled a full re-read.
   */
  async delta(watermark: string): Promise<PassResult | 'capped' | 'restart'> {
    const ctx = this.#ctx;
    const from = new Date(Date.parse(watermark) - ctx.overlapMs).toISOString();
    const next = floorToMinuteIso(ctx.runStartMs - ctx.consistencyBufferMs);
    await ctx.event('info', 'delta started', { dataSourceId: this.#source.id, from, watermark });
    const pages = readAhead(
      ctx.gateway.paginate(
        ctx.gateway.client.dataSources.query,
        {
          data_source_id: this.#source.id,
          filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: from } },
          sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
          page_size: MAX_PAGE_SIZE,
        },
        { allowIncomplete: true },
      ),
    );
    let failed = 0;
    for await (const page of pages) {
      if ((await this.#schema.check(fullPages(page.results))) === 'restart') return 'restart';
      failed += await this.#ingest(page.results, 'delta');
      if (page.requestStatus?.type === 'incomplete') return 'capped';
      if (ctx.signal?.aborted === true) return { complete: false, cancelled: true };
    }
    if (failed > 0) return { complete: false, cancelled: false };
    // Never backwards, never past now − buffer.
    const advanced = next > watermark ? next : watermark;
    await ctx.store.replica.setSyncProgress(this.#source.id, {
      watermark: advanced,
      lastSyncedAt: new Date(ctx.clock.now()).toISOString(),
    });
    return { complete: true, cancelled: false };
  }

  /**
   * A complete scan (backfill or full) from `state`, then delete detection; `'restart'` when its results
   * showed a schema change that scheduled it again from the start.
   */
  async scan(state: ScanState): Promise<PassResult | 'restart'> {
    const ctx = this.#ctx;
    const id = this.#source.id;
    const key = mirrorStateKey(id);
    const resumed = state.checkpoint !== null;
    this.#estimate = await ctx.store.replica.countPages(id);
    if (!resumed) {
      await ctx.store.syncState.save(key, { state, status: 'running' });
      await ctx.event('info', 'scan started', { dataSourceId: id, mode: state.mode });
    }
    let current = state;
    const seen = new Set<string>();
    const resumeFrom = await resumePoint(ctx.store, id, current);
    const pages = readAhead(
      queryDataSourceAll(
        cappedAtWindowEnd(ctx.gateway),
        { data_source_id: id, page_size: MAX_PAGE_SIZE },
        { now: () => ctx.clock.now(), ...(resumeFrom === undefined ? {} : { resumeFrom }) },
      ),
    );
    for await (const page of pages) {
      if ((await this.#schema.check(fullPages(page.results))) === 'restart') return 'restart';
      for (const row of page.results) seen.add(row.id);
      const failed = await this.#ingest(page.results, state.mode, async (tx, committed) => {
        let seenMark = current.seenMark;
        if (seenMark === null && committed.length > 0) {
          seenMark = (await tx.replica.getPage(committed[0] as string))?.lastSeenAt ?? null;
        }
        current = { ...current, checkpoint: compactCheckpoint(page.checkpoint), seenMark };
        await tx.syncState.save(key, { state: current, status: 'running' });
      });
      if (failed > 0) {
        current = { ...current, failures: current.failures + failed };
        await ctx.store.syncState.save(key, { state: current });
      }
      if (ctx.signal?.aborted === true && !page.done) return { complete: false, cancelled: true };
    }
    if (current.failures > 0) {
      // A scan with failed rows deletes nothing and earns no watermark (invariant 4). A required scan
      // is scheduled again from the start; another one is dropped (the next run is a delta, and
      // `--full` retries the rows).
      const again = current.required ? newScan(current.mode, ctx.runStartMs, true) : null;
      await ctx.store.syncState.save(key, { state: again, status: 'failed' });
      await ctx.event('warn', 'scan incomplete', { dataSourceId: id, failures: current.failures });
      return { complete: false, cancelled: false };
    }
    await this.#schema.ensureKnown();
    const deletesComplete = await this.#detectDeletes(seen, resumed ? current.seenMark : null);
    await ctx.store.transaction(async (tx) => {
      const stored = await tx.replica.getDataSource(id);
      const earned = floorToMinuteIso(current.startedAtMs - ctx.consistencyBufferMs);
      const previous = stored?.watermark ?? null;
      await tx.replica.setSyncProgress(id, {
        watermark: previous !== null && previous > earned ? previous : earned,
        lastSyncedAt: new Date(ctx.clock.now()).toISOString(),
      });
      await tx.syncState.save(key, { state: null, status: 'idle' });
    });
    return { complete: deletesComplete, cancelled: false };
  }

  async finish(mode: MirrorMode, result: PassResult): Promise<MirrorDataSourceOutcome> {
    this.#ctx.progress({
      dataSourceId: this.#source.id,
      title: this.#source.title,
      mode,
      phase: 'done',
      pagesDone: this.#pagesDone,
      pagesEstimate: this.#estimate,
    });
    const status = result.cancelled
      ? 'cancelled'
      : !result.complete || this.#counts.failed > 0
        ? 'partial'
        : 'succeeded';
    await this.#ctx.event('info', 'data source finished', {
      dataSourceId: this.#source.id,
      mode,
      status,
      ...this.#counts,
    });
    return {
      id: this.#source.id,
      databaseId: this.#source.databaseId,
      title: this.#source.title,
      view: this.view,
      mode,
      status,
      counts: { ...this.#counts },
    };
  }

  /**
   * Reads rows into the replica: completes truncated values, reads bodies where needed (concurrently),
   * then commits the batch and `inTransaction`'s writes (the scan checkpoint) together. Returns how many
   * rows failed (they are left out of the batch and counted).
   */
  async #ingest(
    rows: readonly DataSourceRow[],
    mode: MirrorMode,
    inTransaction?: (tx: Store, committed: readonly string[]) => Promise<void>,
  ): Promise<number> {
    const ctx = this.#ctx;
    const pages = fullPages(rows);
    const settled = await mapConcurrent(pages, ctx.bodyConcurrency, (page) => this.#readRow(page));
    const inputs: PageInput[] = [];
    let failed = 0;
    for (const [i, result] of settled.entries()) {
      if (result.status === 'fulfilled') inputs.push(result.value);
      else {
        failed++;
        await this.#pageFailed((pages[i] as PageObjectResponse).id, result.reason);
      }
    }
    const results =
      inputs.length === 0 && inTransaction === undefined
        ? []
        : await ctx.store.transaction(async (tx) => {
            const upserted = await tx.replica.upsertPages(inputs, { runId: ctx.runId });
            await inTransaction?.(
              tx,
              inputs.map((p) => p.id),
            );
            return upserted;
          });
    await this.#renewLease();
    const delta: Partial<RunCounts> = { failed };
    for (const r of results) {
      const k = r.change;
      delta[k] = (delta[k] ?? 0) + 1;
    }
    addCounts(this.#counts, delta);
    addCounts(ctx.runCounts, delta);
    this.#pagesDone += rows.length;
    ctx.progress({
      dataSourceId: this.#source.id,
      title: this.#source.title,
      mode,
      phase: 'scan',
      pagesDone: this.#pagesDone,
      pagesEstimate: this.#estimate,
    });
    return failed;
  }

  async #readRow(page: PageObjectResponse): Promise<PageInput> {
    const ctx = this.#ctx;
    const input = await readPageRow(ctx.gateway, page, this.#source.id);
    if (!ctx.bodies) return input;
    const old = await ctx.store.replica.getPage(page.id);
    const needsBody =
      old === undefined ||
      old.deletedAt !== null ||
      old.bodyHash === null ||
      old.lastEditedTime !== input.lastEditedTime ||
      old.contentHash !== input.contentHash;
    if (!needsBody) return input;
    return { ...input, body: await readPageBody(ctx.blockSource, page.id, ctx.blockConcurrency) };
  }

  async #pageFailed(pageId: string, reason: unknown): Promise<void> {
    if (this.#failures.logged >= MAX_FAILURE_EVENTS) return;
    this.#failures.logged++;
    await this.#ctx.event('error', 'page failed', {
      dataSourceId: this.#source.id,
      pageId,
      error: describeNotionError(reason),
    });
  }

  /**
   * After a complete scan: each live replica page the scan did not see is looked up directly. Returns
   * false when some lookups failed (those pages are left as they are).
   */
  async #detectDeletes(seen: ReadonlySet<string>, seenMark: string | null): Promise<boolean> {
    const ctx = this.#ctx;
    const id = this.#source.id;
    let candidates: string[] = [];
    for await (const ids of ctx.store.replica.iteratePageIds(id)) {
      for (const pageId of ids) if (!seen.has(pageId)) candidates.push(pageId);
    }
    if (seenMark !== null && candidates.length > 0) {
      // A resumed scan saw its earlier pages in another run: their rows carry a newer last_seen_at.
      const stale: string[] = [];
      for (const pageId of candidates) {
        const page = await ctx.store.replica.getPage(pageId);
        if (page !== undefined && page.lastSeenAt < seenMark) stale.push(pageId);
      }
      candidates = stale;
    }
    if (candidates.length === 0) return true;
    this.#progressPhase('deletes');
    const byReason = new Map<string, string[]>();
    const alive: PageObjectResponse[] = [];
    let failed = 0;
    const settled = await mapConcurrent(candidates, ctx.bodyConcurrency, (pageId) =>
      ctx.gateway.client.pages.retrieve({ page_id: pageId }),
    );
    for (const [i, result] of settled.entries()) {
      const pageId = candidates[i] as string;
      let reason: string | undefined;
      if (result.status === 'rejected') {
        if (
          APIResponseError.isAPIResponseError(result.reason) &&
          result.reason.code === APIErrorCode.ObjectNotFound
        ) {
          reason = 'gone_or_unshared';
        } else {
          failed++;
          await this.#pageFailed(pageId, result.reason);
          continue;
        }
      } else if (!isFullPage(result.value)) {
        reason = 'gone_or_unshared';
      } else if (result.value.in_trash) {
        reason = 'trashed';
      } else if (result.value.parent.type !== 'data_source_id' || result.value.parent.data_source_id !== id) {
        reason = 'moved_out';
      } else {
        alive.push(result.value);
        continue;
      }
      byReason.set(reason, [...(byReason.get(reason) ?? []), pageId]);
    }
    const ingestFailed = alive.length > 0 ? await this.#ingest(alive, 'full') : 0;
    let deleted = 0;
    for (const [reason, ids] of byReason) {
      deleted += await ctx.store.replica.markDeleted(ids, reason, { runId: ctx.runId });
    }
    addCounts(this.#counts, { deleted, failed });
    addCounts(ctx.runCounts, { deleted, failed });
    if (deleted > 0) {
      await ctx.event('info', 'pages deleted', {
        dataSourceId: id,
        deleted,
        reasons: Object.fromEntries([...byReason].map(([r, ids]) => [r, ids.length])),
      });
    }
    return failed + ingestFailed === 0;
  }

  #progressPhase(phase: 'deletes'): void {
    this.#ctx.progress({
      dataSourceId: this.#source.id,
      title: this.#source.title,
      mode: 'full',
      phase,
      pagesDone: this.#pagesDone,
      pagesEstimate: this.#estimate,
    });
  }
}

/**
 * `dataSources.query` through the gateway, with `request_status: incomplete` kept only on the last page of
 * a capped query. Notion's docs (and the emulator) put it on the pages of a capped result while the cursor
 * still has more to give; `queryDataSourceAll` starts a new created_time window at the first incomplete
 * page, which would cut a window short (and fail when its first page is one timestamp). Reading each
 * window to its end, as the SDK's `iterateAllDataSourceRows` does, works whichever pages carry the flag.
 */
function cappedAtWindowEnd(gateway: NotionGateway): QueryFn {
  return async (args) => {
    const response = await gateway.client.dataSources.query(args);
    if (response.has_more && response.request_status?.type === 'incomplete') {
      const { request_status: _cut, ...rest } = response;
      return rest;
    }
    return response;
  };
}

/** The full page objects among query results (a partial row has no properties to store). */
function fullPages(rows: readonly DataSourceRow[]): PageObjectResponse[] {
  return rows.filter((r): r is PageObjectResponse => isFullPage(r));
}
