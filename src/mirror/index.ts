/**
 * The mirror: Notion databases → the local replica (backfill, delta, deletes, bodies, schema, history).
 * @module
 */
export { runMirror } from './run-mirror.js';
export {
  DEFAULT_BLOCK_CONCURRENCY,
  DEFAULT_BODY_CONCURRENCY,
  DEFAULT_CONSISTENCY_BUFFER_MS,
  DEFAULT_OVERLAP_MS,
  DEFAULT_REDISCOVER_AFTER_MS,
} from './mirror-options.js';
export type {
  MirrorDataSourceOutcome,
  MirrorMode,
  MirrorOptions,
  MirrorProgress,
  MirrorRunOutcome,
} from './mirror-options.js';
export { resolveSource } from './resolve-source.js';
export type { ResolvedDataSource, ResolveOptions } from './resolve-source.js';
export { diffSchema } from './diff-schema.js';
export type { SchemaDiff } from './diff-schema.js';
export { mirrorLeaseName, mirrorStateKey } from './mirror-data-source.js';
export { createMirrorJob, DEFAULT_MIRROR_SCHEDULE } from './create-mirror-job.js';
