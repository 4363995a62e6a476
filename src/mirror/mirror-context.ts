/**
 * What one run of the mirror carries from data source to data source: its dependencies, settings and the
 * run log. Internal to `src/mirror/`.
 * @module
 */
import type { Clock } from '../clock.js';
import type { Logger, LogLevel } from '../logger.js';
import type { BlockSource } from '../markdown/block-source.js';
import type { NotionGateway } from '../notion/gateway.js';
import type { RunCounts } from '../store/runs-repository.js';
import type { Store } from '../store/store.js';
import type { MirrorProgress } from './mirror-options.js';

/** The settled settings and dependencies of one `runMirror` call. */
export interface MirrorContext {
  readonly store: Store;
  readonly gateway: NotionGateway;
  readonly blockSource: BlockSource;
  readonly runId: string;
  /** `clock.now()` when the run started (epoch ms). */
  readonly runStartMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly bodies: boolean;
  readonly forceFull: boolean;
  readonly consistencyBufferMs: number;
  readonly overlapMs: number;
  readonly bodyConcurrency: number;
  readonly blockConcurrency: number;
  readonly signal: AbortSignal | undefined;
  /** Counts of the whole run (mutated as pages are committed). */
  readonly runCounts: RunCounts;
  /** Appends a run event (and logs it). Never throws. */
  event(level: LogLevel, message: string, fields?: Record<string, unknown>): Promise<void>;
  progress(progress: Omit<MirrorProgress, 'runId' | 'counts'>): void;
}

/** Adds `delta` into `into`. */
export function addCounts(into: RunCounts, delta: Partial<RunCounts>): void {
  for (const key of Object.keys(delta) as (keyof RunCounts)[]) into[key] += delta[key] ?? 0;
}

/** `ms` rounded down to the minute, as an ISO string (Notion's `last_edited_time` granularity). */
export function floorToMinuteIso(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
}
