/**
 * `runMirror`: Notion databases → the local replica, exact, incremental and cheap in API calls.
 * @module
 */
import { silentLogger } from '../logger.js';
import type { LogLevel } from '../logger.js';
import { systemClock } from '../system-clock.js';
import type { RunCounts } from '../store/runs-repository.js';
import { ZERO_COUNTS } from '../store/runs-repository.js';
import type { MirrorContext } from './mirror-context.js';
import { errorJson, mirrorDataSource } from './mirror-data-source.js';
import {
  DEFAULT_BLOCK_CONCURRENCY,
  DEFAULT_BODY_CONCURRENCY,
  DEFAULT_CONSISTENCY_BUFFER_MS,
  DEFAULT_OVERLAP_MS,
  DEFAULT_REDISCOVER_AFTER_MS,
} from './mirror-options.js';
import type { MirrorDataSourceOutcome, MirrorOptions, MirrorRunOutcome } from './mirror-options.js';
import { notionBlockSource } from '../markdown/notion-block-source.js';
import { resolveSource } from './resolve-source.js';
import { describeNotionError, toNotionSyncError } from '../notion/notion-api-error.js';

/**
 * Mirrors each source (a database, a data source, or a link to either) into the replica, and records the
 * run in `runs` with its events. Never throws for Notion or per-source failures: they are in the outcome
 * (`status`, `error`, each data source's `status`). See `mirror-data-source.ts` for the backfill, delta,
 * delete and schema decisions.
 *
 * API calls (the rule is in docs/mirror.md, "Discovery and schema"): a delta reuses the data sources and
 * schemas the replica recorded, so a delta with nothing new costs one query per data source; discovery is
 * read again (`databases.retrieve` for a database, `dataSources.retrieve` per data source already
 * mirrored) on a full run, when the recorded one is older than `rediscoverAfterMs`, and per data source
 * whose query results disagree with its stored schema. A backfill of a database seen for the first time
 * costs `databases.retrieve` plus its queries: the rows show the schema. A changed page costs its body
 * reads (one per block with children, 100 children per call) and, only when a relation or people value
 * may be truncated, its property-item pages.
 *
 * ### Examples
 * ```ts
 * import { createGateway, openStore, runMirror } from 'notion-sync';
 *
 * const store = await openStore('sqlite:./notion-sync.db');
 * const gateway = createGateway({ token: process.env.NOTION_TOKEN ?? '' });
 * const outcome = await runMirror({ store, gateway, sources: ['https://www.notion.so/Tasks-0123456789abcdef0123456789abcdef'] });
 * console.log(outcome.status, outcome.counts, outcome.apiCalls);
 * // SELECT title, status FROM tasks WHERE status = 'Done'
 * await store.close();
 * ```
 */
export async function runMirror(options: MirrorOptions): Promise<MirrorRunOutcome> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const { store, gateway } = options;
  const runStartMs = clock.now();
  const rediscoverAfterMs = options.rediscoverAfterMs ?? DEFAULT_REDISCOVER_AFTER_MS;
  const callsBefore = gateway.metrics.snapshot().total.calls;
  const run = await store.runs.start({
    kind: 'mirror',
    target: options.sources.join(' '),
    trigger: options.trigger ?? 'manual',
  });
  options.onRunStarted?.(run.id);
  const runCounts: RunCounts = { ...ZERO_COUNTS };
  const event = async (level: LogLevel, message: string, fields?: Record<string, unknown>): Promise<void> => {
    logger(level, message, { runId: run.id, ...fields });
    try {
      await store.runs.appendEvent(run.id, { level, message, ...(fields === undefined ? {} : { fields }) });
    } catch (error) {
      logger('warn', 'run event not recorded', { runId: run.id, error: String(error) });
    }
  };
  const ctx: MirrorContext = {
    store,
    gateway,
    blockSource: notionBlockSource(gateway.client),
    runId: run.id,
    runStartMs,
    clock,
    logger,
    bodies: options.bodies ?? true,
    forceFull: options.mode === 'full',
    consistencyBufferMs: options.consistencyBufferMs ?? DEFAULT_CONSISTENCY_BUFFER_MS,
    overlapMs: options.overlapMs ?? DEFAULT_OVERLAP_MS,
    bodyConcurrency: Math.max(1, options.bodyConcurrency ?? DEFAULT_BODY_CONCURRENCY),
    blockConcurrency: Math.max(1, options.blockConcurrency ?? DEFAULT_BLOCK_CONCURRENCY),
    signal: options.signal,
    runCounts,
    event,
    progress: (p) => options.onProgress?.({ ...p, runId: run.id, counts: { ...runCounts } }),
  };
  await event('info', 'mirror started', { sources: [...options.sources], mode: options.mode ?? 'auto' });

  const outcomes: MirrorDataSourceOutcome[] = [];
  const errors: unknown[] = [];
  let cancelled = false;
  for (const source of options.sources) {
    if (aborted(options.signal)) {
      cancelled = true;
      break;
    }
    let resolved;
    try {
      resolved = await resolveSource(gateway, store, source, {
        rediscover: ctx.forceFull,
        staleBefore: new Date(runStartMs - rediscoverAfterMs).toISOString(),
      });
    } catch (error) {
      errors.push(errorJson(toNotionSyncError(error)));
      await event('error', 'source not resolved', { source, error: describeNotionError(error) });
      continue;
    }
    for (const dataSource of resolved) {
      if (aborted(options.signal)) {
        cancelled = true;
        break;
      }
      await event('info', 'data source resolved', {
        source,
        dataSourceId: dataSource.id,
        databaseId: dataSource.databaseId,
        title: dataSource.title,
      });
      const outcome = await mirrorDataSource(ctx, dataSource);
      outcomes.push(outcome);
      if (outcome.error !== undefined) errors.push(outcome.error);
      if (outcome.status === 'cancelled') cancelled = true;
      await store.runs.updateProgress(run.id, {
        counts: runCounts,
        apiCalls: gateway.metrics.snapshot().total.calls - callsBefore,
      });
    }
  }

  const status = cancelled
    ? 'cancelled'
    : outcomes.length === 0 || outcomes.every((o) => o.status === 'failed')
      ? 'failed'
      : errors.length > 0 || outcomes.some((o) => o.status !== 'succeeded')
        ? 'partial'
        : 'succeeded';
  const apiCalls = gateway.metrics.snapshot().total.calls - callsBefore;
  const error = errors[0];
  await store.runs.finish(run.id, {
    status,
    counts: runCounts,
    apiCalls,
    ...(error === undefined ? {} : { error }),
  });
  const durationMs = clock.now() - runStartMs;
  await event('info', 'mirror finished', { status, ...runCounts, apiCalls, durationMs });
  return {
    runId: run.id,
    status,
    dataSources: outcomes,
    counts: { ...runCounts },
    apiCalls,
    durationMs,
    ...(error === undefined ? {} : { error }),
  };
}

/** Read through a function: the signal changes between awaits, which narrowing does not know. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
