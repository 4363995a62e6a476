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
