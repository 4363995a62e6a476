/**
 * notion-sync: a self-hosted sync engine for Notion.
 *
 * @module
 */
export type { Clock } from './clock.js';
export { SystemClock, systemClock } from './system-clock.js';
export { ManualClock } from './manual-clock.js';
export * from './errors.js';
export type { Logger, LogLevel, LogFields } from './logger.js';
export { createPinoLogger, silentLogger } from './logger.js';
export * as limits from './notion/limits.js';
export { endpoints, matchEndpoint } from './notion/endpoints.js';
export type { EndpointDescriptor, EndpointKey, HttpMethod } from './notion/endpoints.js';

// Configuration
export { defineConfig } from './config/define-config.js';
export type { NotionSyncConfig } from './config/config-schema.js';
export { loadConfig, resolveConfig } from './config/load-config.js';
export type { ResolvedConfig, LoadConfigOptions } from './config/load-config.js';

// Schedules, the scheduler and the daemon's jobs
export { parseSchedule, MIN_INTERVAL_MS, MAX_INTERVAL_MS } from './schedule/parse-schedule.js';
export type { Schedule } from './schedule/parse-schedule.js';
export type { Job, JobOutcome, JobRunContext, JobRunStatus } from './schedule/job.js';
export {
  createScheduler,
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_MAX_CONCURRENT_JOBS,
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_POLL_INTERVAL_MS,
} from './schedule/scheduler.js';
export type {
  Scheduler,
  SchedulerOptions,
  JobStatus,
  JobHealth,
  JobLastRun,
  JobRunning,
  TriggerResult,
} from './schedule/scheduler.js';
export { buildJobs, registerJobFactory } from './schedule/build-jobs.js';
export type {
  JobFactories,
  JobBuildContext,
  MirrorJobFactory,
  SyncJobFactory,
} from './schedule/build-jobs.js';
export { describeSchedule } from './schedule/describe-schedule.js';
export { LeaseLostError } from './schedule/lease-lost-error.js';

// The gateway to the Notion API
export { createGateway, DEFAULT_REQUEST_TIMEOUT_MS } from './notion/create-gateway.js';
export type { GatewayOptions } from './notion/create-gateway.js';
export type { NotionGateway } from './notion/gateway.js';
export type { Pacer, PacerState } from './notion/pacer.js';
export { TokenBucketPacer, DEFAULT_BURST } from './notion/token-bucket-pacer.js';
export type { TokenBucketPacerOptions } from './notion/token-bucket-pacer.js';
export { sharedTokenBucketPacer, tokenFingerprint } from './notion/shared-pacer.js';
export { CircuitBreaker } from './notion/circuit-breaker.js';
export type { BreakerOptions, BreakerState } from './notion/circuit-breaker.js';
export { GatewayMetrics } from './notion/gateway-metrics.js';
export type { EndpointMetrics, GatewayMetricsSnapshot } from './notion/gateway-metrics.js';
export {
  canRetry,
  isOutcomeUnknown,
  retryDelayMs,
  parseRetryAfterMs,
  DEFAULT_RETRY_OPTIONS,
} from './notion/retry-policy.js';
export type { RetryOptions, AttemptOutcome } from './notion/retry-policy.js';
export {
  OutcomeUnknownError,
  CircuitOpenError,
  RetriesExhaustedError,
  QueryCapError,
} from './notion/gateway-errors.js';
export { NotionApiError, toNotionSyncError, describeNotionError } from './notion/notion-api-error.js';
export { parseNotionId, tryParseNotionId } from './notion/notion-id.js';
export { paginate } from './notion/paginate.js';
export type { GatewayPage, PaginateOptions } from './notion/paginate.js';
export { queryDataSourceAll } from './notion/query-data-source-all.js';
export type { QueryAllCheckpoint, QueryAllPage, QueryAllArgs } from './notion/query-data-source-all.js';

// Property codecs
export * from './notion/properties/index.js';

// The store
export * from './store/index.js';

// The Workers runtime
export { loadWorker, loadWorkerModule } from './workers/load-worker.js';
export type { LoadedWorker, WorkerModule } from './workers/load-worker.js';
export { readWorkerManifest, getWorkerSync, getWorkerDatabase } from './workers/worker-manifest.js';
export type {
  WorkerDescription,
  WorkerDatabase,
  WorkerSync,
  WorkerPacer,
} from './workers/worker-manifest.js';
export { tokensToPropertyValues, tokenToPropertyValue } from './workers/token-values.js';
export { executeStep, stepLogsOf, WorkerRateLimitError } from './workers/sync-driver.js';
export type {
  StepResult,
  WorkerChange,
  WorkerUpsertChange,
  WorkerDeleteChange,
} from './workers/sync-driver.js';
export { databaseCreationOf, planSchemaMigration, checkAttachedSchema } from './workers/database-schema.js';

// The emulator's demo workspace (the emulator itself is at `notion-sync/emulator`)
export { seedDemoWorkspace } from './emulator/seed/demo-seed.js';
export type { DemoWorkspaceInfo } from './emulator/seed/demo-seed.js';

// Markdown ↔ Notion blocks
export * from './markdown/index.js';
