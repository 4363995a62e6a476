/**
 * The errors the gateway raises itself (as opposed to Notion's answers, which the SDK turns into
 * `APIResponseError` and `toNotionSyncError` turns into `NotionApiError`). None of them carries the
 * integration token: they are built from endpoint names, paths, ids and codes only.
 */
import { NotionSyncError, NotionSyncErrorCode } from '../errors.js';
import type { NotionSyncErrorOptions } from '../errors.js';
import type { HttpMethod } from './endpoints.js';

/** The parent a write targeted, reduced to ids: what a caller needs to find a possibly-created object. */
export type WriteTarget = Readonly<Record<string, string | boolean>>;

/** Why a write's outcome is unknown. */
export type UnknownOutcomeReason = 'timeout' | 'connection_lost' | 'server_error';

/**
 * A non-idempotent write (page create, children append, database or data source create) was sent, and we
 * cannot tell whether Notion applied it: the request timed out, the connection dropped after sending, or
 * Notion answered 5xx. It was NOT repeated. Look the object up (e.g. query by the primary-key property)
 * before writing again (DESIGN invariant 3).
 */
export class OutcomeUnknownError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.OutcomeUnknown;
  override readonly name = 'OutcomeUnknownError';
  /** Endpoint name, e.g. `pages.create`. */
  readonly endpoint: string;
  readonly method: HttpMethod;
  /** Path relative to `/v1/`, e.g. `blocks/<id>/children`. */
  readonly path: string;
  /** Path parameters (`block_id`, ...). */
  readonly pathParams: Readonly<Record<string, string>>;
  /** The request body's `parent`, ids only, when it had one. */
  readonly parent: WriteTarget | undefined;
  readonly reason: UnknownOutcomeReason;
  /** HTTP status, when Notion answered (`server_error`). */
  readonly status: number | undefined;
  /** Attempts made, this one included. */
  readonly attempts: number;

  constructor(facts: {
    endpoint: string;
    method: HttpMethod;
    path: string;
    pathParams: Readonly<Record<string, string>>;
    parent: WriteTarget | undefined;
    reason: UnknownOutcomeReason;
    status?: number | undefined;
    attempts: number;
    cause?: unknown;
  }) {
    const what =
      facts.reason === 'timeout'
        ? 'timed out'
        : facts.reason === 'connection_lost'
          ? 'lost its connection'
          : `got HTTP ${String(facts.status)}`;
    super(
      `${facts.endpoint} (${facts.method.toUpperCase()} /v1/${facts.path}) ${what} after it was sent: Notion may or may not have applied it.`,
      {
        hint: 'Do not repeat the write blindly: look the object up first (for a row, query by its primary key) and write again only if it is missing.',
        cause: facts.cause,
      },
    );
    this.endpoint = facts.endpoint;
    this.method = facts.method;
    this.path = facts.path;
    this.pathParams = Object.freeze({ ...facts.pathParams });
    this.parent = facts.parent === undefined ? undefined : Object.freeze({ ...facts.parent });
    this.reason = facts.reason;
    this.status = facts.status;
    this.attempts = facts.attempts;
  }
}

/** The circuit breaker is open: Notion failed repeatedly, so calls fail fast until `retryAt`. */
export class CircuitOpenError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.CircuitOpen;
  override readonly name = 'CircuitOpenError';
  /** Epoch ms at which the breaker lets one probe request through. */
  readonly retryAt: number;
  /** Endpoint of the call that was refused. */
  readonly endpoint: string;

  constructor(endpoint: string, retryAt: number, nowMs: number, consecutiveFailures: number) {
    const inSeconds = Math.max(0, Math.ceil((retryAt - nowMs) / 1_000));
    super(
      `Notion calls are paused after ${String(consecutiveFailures)} consecutive failures (5xx, timeouts or lost connections); ${endpoint} was not sent. A probe request will be allowed in ${String(inSeconds)} s (at ${new Date(retryAt).toISOString()}).`,
      { hint: 'Check https://status.notion.so and your network, then run again after the probe time.' },
    );
    this.retryAt = retryAt;
    this.endpoint = endpoint;
  }
}

/** Every attempt of an idempotent call failed without an HTTP answer (timeouts or lost connections). */
export class RetriesExhaustedError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.RetriesExhausted;
  override readonly name = 'RetriesExhaustedError';
  readonly endpoint: string;
  readonly attempts: number;
  /** What the last attempt ran into. */
  readonly lastFailure: 'timeout' | 'connection_lost';

  constructor(
    endpoint: string,
    attempts: number,
    lastFailure: 'timeout' | 'connection_lost',
    options?: NotionSyncErrorOptions,
  ) {
    super(
      `${endpoint} failed ${String(attempts)} times in a row (last: ${lastFailure === 'timeout' ? 'no answer within the request timeout' : 'connection lost'}).`,
      {
        hint:
          options?.hint ??
          'Check your network and https://status.notion.so; raise requestTimeoutMs if large requests time out.',
        cause: options?.cause,
      },
    );
    this.endpoint = endpoint;
    this.attempts = attempts;
    this.lastFailure = lastFailure;
  }
}

/**
 * A data source query hit Notion's per-query result cap and could not be split further, or a plain
 * pagination met a capped (`request_status: incomplete`) result. Never a silently truncated result.
 */
export class QueryCapError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.LimitExceeded;
  override readonly name = 'QueryCapError';
  readonly dataSourceId: string | undefined;
  /** The created_time shared by more rows than the cap, when that is the cause. */
  readonly createdTime: string | undefined;

  constructor(
    message: string,
    facts: { dataSourceId?: string | undefined; createdTime?: string | undefined },
    options?: NotionSyncErrorOptions,
  ) {
    super(message, options);
    this.dataSourceId = facts.dataSourceId;
    this.createdTime = facts.createdTime;
  }
}
