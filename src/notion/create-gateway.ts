import { Client, LogLevel } from '@notionhq/client';
import { trace } from '@opentelemetry/api';
import type { Clock } from '../clock.js';
import { InvalidConfigError, registerSecret } from '../errors.js';
import { redactValue, silentLogger } from '../logger.js';
import type { Logger, LogLevel as OurLogLevel } from '../logger.js';
import { systemClock } from '../system-clock.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { BreakerOptions } from './circuit-breaker.js';
import { createGatewayFetch } from './gateway-fetch.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { NotionGateway } from './gateway.js';
import { DEFAULT_NOTION_VERSION, SUPPORTED_NOTION_VERSIONS } from './limits.js';
import { paginate } from './paginate.js';
import { paginatePropertyItems } from './paginate-property-items.js';
import type { Pacer } from './pacer.js';
import { queryDataSourceAll } from './query-data-source-all.js';
import { DEFAULT_RETRY_OPTIONS } from './retry-policy.js';
import type { RetryOptions } from './retry-policy.js';
import { sharedTokenBucketPacer, tokenFingerprint } from './shared-pacer.js';

/** Per-attempt timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/**
 * The SDK's own timeout, set out of the way (the gateway times each attempt itself, with its clock). The
 * largest delay `setTimeout` accepts.
 */
const SDK_TIMEOUT_MS = 2_147_483_647;

export interface GatewayOptions {
  /** Integration token (`ntn_...` or `secret_...`). Registered as a secret: never logged or shown. */
  token: string;
  /** API origin, without `/v1` or a trailing slash. @default 'https://api.notion.com' */
  baseUrl?: string;
  /** `Notion-Version` header. @default DEFAULT_NOTION_VERSION ('2025-09-03') */
  notionVersion?: string;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /**
   * Pacer to use. @default the process-wide `TokenBucketPacer` of this token (shared by every gateway
   * created with the same token), built from `requestsPerSecond` and `burst`.
   */
  pacer?: Pacer;
  /** Average requests per second of the shared pacer. @default DEFAULT_REQUESTS_PER_SECOND (3) */
  requestsPerSecond?: number;
  /** Burst of the shared pacer. @default DEFAULT_BURST (3) */
  burst?: number;
  /** Retry settings; see `RetryOptions` for each default. */
  retry?: Partial<RetryOptions>;
  /** Circuit breaker settings. */
  breaker?: BreakerOptions;
  /** Timeout of one attempt, body included. @default 60_000 ms */
  requestTimeoutMs?: number;
  /** Random numbers in [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
  /** The underlying fetch. @default globalThis.fetch */
  fetch?: typeof fetch;
}

const SDK_LEVELS: Record<LogLevel, OurLogLevel> = {
  [LogLevel.DEBUG]: 'debug',
  // The SDK logs every request start and success at INFO; the gateway has its own records of those.
  [LogLevel.INFO]: 'debug',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/**
 * Builds the gateway through which notion-sync talks to Notion.
 *
 * ### Examples
 * ```ts
 * import { createGateway } from 'notion-sync';
 *
 * const gateway = createGateway({ token: process.env.NOTION_TOKEN ?? '' });
 * const page = await gateway.client.pages.retrieve({ page_id: '0123456789abcdef0123456789abcdef' });
 * for await (const batch of gateway.queryDataSourceAll({ data_source_id: dataSourceId })) {
 *   console.log(batch.results.length, batch.checkpoint);
 * }
 * console.log(gateway.metrics.snapshot().total.calls);
 * ```
 */
export function createGateway(options: GatewayOptions): NotionGateway {
  if (typeof options.token !== 'string' || options.token.trim() === '') {
    throw new InvalidConfigError(
      'No Notion token was given.',
      [{ path: 'token', message: 'required: the integration secret (ntn_... or secret_...)' }],
      {
        hint: 'Set NOTION_TOKEN to your integration secret from https://www.notion.so/profile/integrations.',
      },
    );
  }
  registerSecret(options.token);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const notionVersion = options.notionVersion ?? DEFAULT_NOTION_VERSION;
  if (!(SUPPORTED_NOTION_VERSIONS as readonly string[]).includes(notionVersion)) {
    logger('warn', 'untested notion version', { notionVersion, supported: SUPPORTED_NOTION_VERSIONS });
  }
  const retry: RetryOptions = Object.freeze({ ...DEFAULT_RETRY_OPTIONS, ...options.retry });
  if (!(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) {
    throw new InvalidConfigError(
      `retry.maxAttempts must be a whole number ≥ 1, got ${String(retry.maxAttempts)}.`,
      [{ path: 'retry.maxAttempts', message: 'a whole number ≥ 1' }],
    );
  }
  const pacer =
    options.pacer ??
    sharedTokenBucketPacer(
      options.token,
      { clock, requestsPerSecond: options.requestsPerSecond, burst: options.burst },
      (existing) =>
        logger('warn', 'shared pacer already configured', {
          token: tokenFingerprint(options.token),
          requestsPerSecond: existing.requestsPerSecond,
          burst: existing.burst,
        }),
    );
  const breaker = new CircuitBreaker({ ...options.breaker, clock });
  const metrics = new GatewayMetrics();
  const gatewayFetch = createGatewayFetch({
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    clock,
    logger,
    pacer,
    breaker,
    metrics,
    retry,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    random: options.random ?? Math.random,
    tracer: trace.getTracer('notion-sync'),
  });
  const client = new Client({
    auth: options.token,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl.replace(/\/+$/, '') }),
    notionVersion,
    retry: false,
    timeoutMs: SDK_TIMEOUT_MS,
    fetch: gatewayFetch,
    logLevel: LogLevel.DEBUG,
    logger: (level, message, extraInfo) =>
      logger(
        SDK_LEVELS[level],
        `notion client: ${message}`,
        () => redactValue(extraInfo) as Record<string, unknown>,
      ),
  });
  return Object.freeze({
    client,
    metrics,
    pacer,
    breaker,
    notionVersion,
    paginate: (listFn, args, paginateOptions) => paginate(listFn, args, paginateOptions),
    propertyItems: (args) => paginatePropertyItems((a) => client.pages.properties.retrieve(a), args),
    queryDataSourceAll: (args, queryOptions) =>
      queryDataSourceAll((queryArgs) => client.dataSources.query(queryArgs), args, queryOptions),
  } satisfies NotionGateway);
}
