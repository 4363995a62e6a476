/**
 * The gateway's retry policy as small pure functions (STYLE rule 6): what happened to one attempt
 * (`AttemptOutcome`), whether it may be repeated (`canRetry`), whether a write's outcome is unknown
 * (`isOutcomeUnknown`) and how long to wait first (`retryDelayMs`). The gateway's fetch wrapper is the
 * only caller; keeping the decisions here makes each one testable without a clock or a network.
 */
import type { EndpointDescriptor } from './endpoints.js';

/** Retry settings of a gateway. Every field is optional in `GatewayOptions.retry`. */
export interface RetryOptions {
  /** Attempts per call, the first one included. @default 6 */
  readonly maxAttempts: number;
  /** Backoff base: the cap of the first retry's random delay, doubled at each further retry. @default 500 ms */
  readonly baseDelayMs: number;
  /** Largest backoff delay (not `Retry-After`). @default 30_000 ms */
  readonly maxDelayMs: number;
  /**
   * Largest `Retry-After` honoured for an ordinary 429/529 (the per-connection window resets within 60 s).
   * A longer value is cut to this. @default 60_000 ms
   */
  readonly maxRetryAfterMs: number;
  /**
   * Largest `Retry-After` honoured when Notion says the *workspace* limit was hit
   * (`additional_data.rate_limit_reason: "public_api_space_request_rate_limit"`), which can ask for more
   * than 60 s. @default 600_000 ms (10 min)
   */
  readonly maxWorkspaceRetryAfterMs: number;
}

/** Attempts per call, the first one included. */
export const DEFAULT_MAX_ATTEMPTS = 6;
/** Backoff base delay. */
export const DEFAULT_BASE_DELAY_MS = 500;
/** Backoff cap. */
export const DEFAULT_MAX_DELAY_MS = 30_000;
/** `Retry-After` cap for ordinary 429/529 answers. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** `Retry-After` cap for workspace-level 429 answers. */
export const DEFAULT_MAX_WORKSPACE_RETRY_AFTER_MS = 600_000;
/** Delay before retrying a 429/529 that carries no usable `Retry-After`, unless backoff says longer. */
export const DEFAULT_RATE_LIMIT_FALLBACK_MS = 1_000;

export const DEFAULT_RETRY_OPTIONS: RetryOptions = Object.freeze({
  maxAttempts: DEFAULT_MAX_ATTEMPTS,
  baseDelayMs: DEFAULT_BASE_DELAY_MS,
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
  maxWorkspaceRetryAfterMs: DEFAULT_MAX_WORKSPACE_RETRY_AFTER_MS,
});

/** The `rate_limit_reason` Notion gives when the workspace (not the connection) is over its limit. */
export const WORKSPACE_RATE_LIMIT_REASON = 'public_api_space_request_rate_limit';

/**
 * What one attempt produced.
 * - `response`: Notion (or a proxy in front of it) answered with this status. `code` is the Notion error
 *   code from a JSON error body, when there was one.
 * - `timeout`: no complete answer within `requestTimeoutMs`; the request may or may not have run.
 * - `network`: the connection failed. `sent: false` only when the connection was never established
 *   (refused, DNS failure, connect timeout), so the server cannot have seen the request; `sent: 'maybe'`
 *   for resets, hang-ups and anything unrecognised.
 */
export type AttemptOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly code?: string | undefined;
      /** Parsed `Retry-After`, in ms from the moment the answer arrived. */
      readonly retryAfterMs?: number | undefined;
      /** `additional_data.rate_limit_reason` of a 429. */
      readonly rateLimitReason?: string | undefined;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly sent: false | 'maybe'; readonly errorCode?: string | undefined };

/** True for a 2xx/3xx answer. */
export function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'response' && outcome.status < 400;
}

/** True when Notion said "not now": 429 `rate_limited` or 529 `service_overload`. */
export function isThrottle(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'response' && (outcome.status === 429 || outcome.status === 529);
}

/** HTTP statuses after which an idempotent request is retried with backoff. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([409, 500, 502, 503, 504]);

/**
 * May this attempt be repeated? Ignores the attempt budget (the caller checks `maxAttempts`).
 */
export function canRetry(outcome: AttemptOutcome, endpoint: EndpointDescriptor): boolean {
  if (outcome.kind === 'response') {
    // 429 and 529 mean Notion refused the request before running it, so repeating it is safe for every
    // endpoint, creates included.
    if (isThrottle(outcome)) return true;
    // 5xx: the server failed somewhere, possibly after committing. 409 conflict_error: the transaction was
    // rejected because of a concurrent write. Repeating is harmless only when the endpoint is idempotent;
    // for a create, isOutcomeUnknown() decides what the caller learns instead.
    if (TRANSIENT_STATUSES.has(outcome.status)) return endpoint.idempotent;
    // Other 4xx are the caller's mistake (validation, not found, no access): repeating changes nothing.
    return false;
  }
  if (outcome.kind === 'network' && outcome.sent === false) {
    // The connection was never established, so Notion never saw the request: safe for every endpoint.
    return true;
  }
  // A timeout or a reset after the request may have been sent: only an idempotent endpoint may repeat.
  return endpoint.idempotent;
}

/**
 * After an attempt that will not be repeated, is it unknown whether a non-idempotent write took effect?
 * When true the gateway raises `OutcomeUnknownError` so the caller reconciles (DESIGN invariant 3)
 * instead of treating the write as failed and creating it again.
 */
export function isOutcomeUnknown(outcome: AttemptOutcome, endpoint: EndpointDescriptor): boolean {
  // Repeating an idempotent request is harmless, so its outcome never needs reconciling.
  if (endpoint.idempotent) return false;
  switch (outcome.kind) {
    case 'timeout':
      // We stopped waiting; Notion may still have committed the write.
      return true;
    case 'network':
      // Never connected: nothing was sent. Reset or hang-up: the request may have been processed and only
      // the answer lost.
      return outcome.sent !== false;
    case 'response':
      // 500/502/503/504: Notion or its edge failed, and a 502/503/504 in particular is what an edge
      // returns when the backend was too slow, while it may still be committing. Unknown.
      if (outcome.status >= 500 && outcome.status !== 529) return true;
      // 429/529 (refused before running), 409 conflict_error (the transaction was rolled back: nothing was
      // written, so the caller can simply try again) and other 4xx (rejected): the write did not happen.
      return false;
  }
}

/**
 * How long to wait before the next attempt.
 *
 * - 429/529 with `Retry-After` (already parsed to ms): that wait, capped by `maxRetryAfterMs`, or by
 *   `maxWorkspaceRetryAfterMs` when the workspace limit was hit.
 * - 429/529 without it: the backoff below, but at least `DEFAULT_RATE_LIMIT_FALLBACK_MS`.
 * - Anything else: capped exponential backoff with full jitter,
 *   `random() × min(maxDelayMs, baseDelayMs × 2^(attempt − 1))`.
 *
 * @param attempt The 1-based number of the attempt that just failed.
 * @param random A source of numbers in [0, 1) (`Math.random` in production, seeded in tests).
 */
export function retryDelayMs(
  outcome: AttemptOutcome,
  attempt: number,
  random: () => number,
  options: RetryOptions = DEFAULT_RETRY_OPTIONS,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const backoff = Math.floor(random() * ceiling);
  if (outcome.kind === 'response' && isThrottle(outcome)) {
    if (outcome.retryAfterMs !== undefined) {
      const cap =
        outcome.rateLimitReason === WORKSPACE_RATE_LIMIT_REASON
          ? options.maxWorkspaceRetryAfterMs
          : options.maxRetryAfterMs;
      return Math.min(Math.max(0, outcome.retryAfterMs), cap);
    }
    return Math.max(DEFAULT_RATE_LIMIT_FALLBACK_MS, backoff);
  }
  return backoff;
}

/**
 * Parses a `Retry-After` header: delta-seconds (`"30"`) or an HTTP date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`). Returns ms from `nowMs`, at least 0, or `undefined` when absent or
 * unreadable.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1_000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Error codes of connection failures where the request cannot have reached the server. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Classifies an error thrown by `fetch` (undici's `TypeError: fetch failed` with a `cause`, or a raw
 * socket error) into a `network` outcome.
 */
export function classifyNetworkError(error: unknown): AttemptOutcome & { kind: 'network' } {
  const errorCode = findErrorCode(error);
  return {
    kind: 'network',
    sent: errorCode !== undefined && NOT_SENT_CODES.has(errorCode) ? false : 'maybe',
    errorCode,
  };
}

function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  if (error instanceof Error && /socket hang up/i.test(error.message)) return 'ECONNRESET';
  return undefined;
}
