/**
 * The fetch the gateway hands to `@notionhq/client`: every attempt of every SDK call passes through here,
 * so pacing, the circuit breaker, the per-attempt timeout, retries, metrics and spans apply to all of them
 * and the SDK's own retry stays off (exactly one retry policy).
 *
 * Errors thrown from here (`OutcomeUnknownError`, `CircuitOpenError`, `RetriesExhaustedError`) are not
 * Notion client errors, so the SDK lets them through to the caller unchanged. When retries end on an HTTP
 * answer, that answer is returned and the SDK raises its usual `APIResponseError`.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CircuitBreaker, BreakerResult } from './circuit-breaker.js';
import { matchEndpoint } from './endpoints.js';
import type { EndpointDescriptor, HttpMethod } from './endpoints.js';
import { OutcomeUnknownError, RetriesExhaustedError } from './gateway-errors.js';
import type { WriteTarget } from './gateway-errors.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { Pacer } from './pacer.js';
import {
  canRetry,
  classifyNetworkError,
  isOutcomeUnknown,
  isSuccess,
  isThrottle,
  parseRetryAfterMs,
  retryDelayMs,
} from './retry-policy.js';
import type { AttemptOutcome, RetryOptions } from './retry-policy.js';

/** What the wrapped fetch needs. */
export interface GatewayFetchDeps {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pacer: Pacer;
  readonly breaker: CircuitBreaker;
  readonly metrics: GatewayMetrics;
  readonly retry: RetryOptions;
  /** Per-attempt timeout, in ms (the whole exchange, body included). */
  readonly requestTimeoutMs: number;
  readonly random: () => number;
  readonly tracer: Tracer;
}

/** The subset of `RequestInit` the SDK passes. */
export interface GatewayRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

/** One Notion call, identified. */
interface CallInfo {
  readonly endpoint: EndpointDescriptor;
  readonly method: HttpMethod;
  /** Path relative to `/v1/`, without the query. */
  readonly path: string;
  readonly pathParams: Readonly<Record<string, string>>;
}

/** What one attempt produced: the outcome, plus the answer when there was one. */
interface Exchange {
  readonly outcome: AttemptOutcome;
  readonly response?: { readonly status: number; readonly statusText: string; readonly headers: Headers };
  readonly text?: string;
  readonly requestId?: string | undefined;
  readonly error?: unknown;
}

const TIMED_OUT = Symbol('timed out');

/** Builds the fetch function to pass to `new Client({ fetch })`. */
export function createGatewayFetch(
  deps: GatewayFetchDeps,
): (url: string, init?: GatewayRequestInit) => Promise<Response> {
  return async function notionGatewayFetch(url: string, init: GatewayRequestInit = {}): Promise<Response> {
    const call = identify(url, init.method ?? 'GET');
    const name = call.endpoint.name;
    const { metrics, clock, retry } = deps;
    metrics.add(name, 'calls');
    const bytesOut = typeof init.body === 'string' ? Buffer.byteLength(init.body) : 0;
    /** Runs a breaker step; a refusal is counted as a failed call and thrown (`CircuitOpenError`). */
    const guarded = <T>(step: () => T): T => {
      try {
        return step();
      } catch (error) {
        metrics.add(name, 'circuitOpen');
        metrics.add(name, 'failed');
        throw error;
      }
    };
    for (let attempt = 1; ; attempt++) {
      // Fail fast before queueing for the pacer, and claim the half-open probe only right before sending.
      guarded(() => deps.breaker.check(name));
      const queuedAt = clock.now();
      await deps.pacer.acquire();
      metrics.add(name, 'pacerWaitMs', clock.now() - queuedAt);
      const permit = guarded(() => deps.breaker.admit(name));
      metrics.add(name, 'attempts');
      if (attempt > 1) metrics.add(name, 'retries');
      metrics.add(name, 'bytesSent', bytesOut);

      const exchange = await tracedSend(deps, call, attempt, url, init);
      record(deps, name, exchange, permit);
      const { outcome } = exchange;

      if (isSuccess(outcome) && exchange.response !== undefined) {
        metrics.add(name, 'succeeded');
        return rebuild(exchange.response, exchange.text ?? '');
      }
      if (isThrottle(outcome)) {
        // Every caller of this token slows down and waits out a Retry-After (capped as our own retry
        // is), not only this one, whether or not this call retries.
        const hasRetryAfter = outcome.kind === 'response' && outcome.retryAfterMs !== undefined;
        deps.pacer.onThrottle(hasRetryAfter ? retryDelayMs(outcome, attempt, deps.random, retry) : undefined);
      }
      if (attempt < retry.maxAttempts && canRetry(outcome, call.endpoint)) {
        const delayMs = retryDelayMs(outcome, attempt, deps.random, retry);
        deps.logger(isThrottle(outcome) ? 'info' : 'warn', 'request retry', {
          endpoint: name,
          attempt,
          delayMs,
          ...describeOutcome(outcome),
          requestId: exchange.requestId,
        });
        metrics.add(name, 'retryWaitMs', delayMs);
        await clock.sleep(delayMs);
        continue;
      }
      return giveUp(deps, call, attempt, exchange, init.body);
    }
  };
}

/** Sends one attempt inside its span, and records its latency. */
async function tracedSend(
  deps: GatewayFetchDeps,
  call: CallInfo,
  attempt: number,
  url: string,
  init: GatewayRequestInit,
): Promise<Exchange> {
  const name = call.endpoint.name;
  const span = deps.tracer.startSpan(`notion ${name}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': call.method.toUpperCase(),
      'url.path': `/v1/${call.path}`,
      'notion.endpoint': name,
      'notion.attempt': attempt,
    },
  });
  const startedAt = deps.clock.now();
  const exchange = await send(deps, url, init);
  const latencyMs = deps.clock.now() - startedAt;
  deps.metrics.observeLatency(name, latencyMs);
  endSpan(span, exchange);
  deps.logger('debug', 'notion attempt', () => ({
    endpoint: name,
    attempt,
    latencyMs,
    ...describeOutcome(exchange.outcome),
    requestId: exchange.requestId,
  }));
  return exchange;
}

/**
 * The call will not be attempted again: raise `OutcomeUnknownError` for a write that may have landed,
 * hand Notion's last answer to the SDK (which throws its `APIResponseError`), or raise
 * `RetriesExhaustedError` when no attempt got an answer.
 */
function giveUp(
  deps: GatewayFetchDeps,
  call: CallInfo,
  attempts: number,
  exchange: Exchange,
  body: GatewayRequestInit['body'],
): Response {
  const name = call.endpoint.name;
  const { outcome } = exchange;
  deps.metrics.add(name, 'failed');
  if (isOutcomeUnknown(outcome, call.endpoint)) {
    deps.metrics.add(name, 'outcomeUnknown');
    const error = new OutcomeUnknownError({
      endpoint: name,
      method: call.method,
      path: call.path,
      pathParams: call.pathParams,
      parent: parentOf(body),
      reason:
        outcome.kind === 'timeout'
          ? 'timeout'
          : outcome.kind === 'network'
            ? 'connection_lost'
            : 'server_error',
      status: outcome.kind === 'response' ? outcome.status : undefined,
      attempts,
      cause: exchange.error,
    });
    deps.logger('warn', 'write outcome unknown', {
      endpoint: name,
      attempts,
      reason: error.reason,
      status: error.status,
      parent: error.parent,
      pathParams: call.pathParams,
    });
    throw error;
  }
  deps.logger('warn', 'request failed', {
    endpoint: name,
    attempts,
    ...describeOutcome(outcome),
    requestId: exchange.requestId,
  });
  // The SDK turns this answer into its APIResponseError (callers use `.code`, `.status`).
  if (exchange.response !== undefined) return rebuild(exchange.response, exchange.text ?? '');
  throw new RetriesExhaustedError(
    name,
    attempts,
    outcome.kind === 'timeout' ? 'timeout' : 'connection_lost',
    {
      cause: exchange.error,
    },
  );
}

/** Sends one attempt, reading the whole body, within `requestTimeoutMs`. */
async function send(deps: GatewayFetchDeps, url: string, init: GatewayRequestInit): Promise<Exchange> {
  const request = new AbortController();
  const timer = new AbortController();
  const expired = deps.clock.sleep(deps.requestTimeoutMs, timer.signal).then(
    (): typeof TIMED_OUT => TIMED_OUT,
    // The timer was cancelled because the exchange finished first.
    () => new Promise<never>(() => {}),
  );
  const exchange = (async (): Promise<Exchange> => {
    try {
      const res = await deps.fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: request.signal,
      });
      const text = await res.text();
      return answered(deps, res, text);
    } catch (error) {
      return { outcome: classifyNetworkError(error), error };
    }
  })();
  try {
    const first = await Promise.race([exchange, expired]);
    if (first === TIMED_OUT) {
      request.abort(new Error(`no answer within ${String(deps.requestTimeoutMs)} ms`));
      return { outcome: { kind: 'timeout' } };
    }
    return first;
  } finally {
    timer.abort();
  }
}

function answered(deps: GatewayFetchDeps, res: Response, text: string): Exchange {
  const response = { status: res.status, statusText: res.statusText, headers: res.headers };
  const body = res.status >= 400 ? parseErrorBody(text) : {};
  const requestId = body.requestId ?? res.headers.get('x-notion-request-id') ?? undefined;
  if (res.status < 400) {
    return {
      outcome: { kind: 'response', status: res.status },
      response,
      text,
      requestId: requestIdOf(text) ?? requestId,
    };
  }
  return {
    outcome: {
      kind: 'response',
      status: res.status,
      code: body.code,
      retryAfterMs: parseRetryAfterMs(res.headers.get('retry-after'), deps.clock.now()),
      rateLimitReason: body.rateLimitReason,
    },
    response,
    text,
    requestId,
  };
}

function record(
  deps: GatewayFetchDeps,
  name: string,
  exchange: Exchange,
  permit: Parameters<CircuitBreaker['record']>[0],
): void {
  const { outcome } = exchange;
  const { metrics } = deps;
  if (exchange.text !== undefined) metrics.add(name, 'bytesReceived', Buffer.byteLength(exchange.text));
  let result: BreakerResult;
  if (outcome.kind === 'timeout') {
    metrics.add(name, 'timeouts');
    result = 'failure';
  } else if (outcome.kind === 'network') {
    metrics.add(name, 'networkErrors');
    result = 'failure';
  } else if (outcome.status === 429) {
    metrics.add(name, 'rateLimited');
    result = 'neutral';
  } else if (outcome.status === 529) {
    metrics.add(name, 'overloaded');
    result = 'neutral';
  } else if (outcome.status >= 500) {
    metrics.add(name, 'serverErrors');
    result = 'failure';
  } else if (outcome.status >= 400) {
    metrics.add(name, 'clientErrors');
    result = 'healthy';
  } else {
    deps.pacer.onSuccess();
    result = 'success';
  }
  deps.breaker.record(permit, result);
}

function endSpan(span: ReturnType<Tracer['startSpan']>, exchange: Exchange): void {
  const { outcome } = exchange;
  if (exchange.requestId !== undefined) span.setAttribute('notion.request_id', exchange.requestId);
  if (outcome.kind === 'response') {
    span.setAttribute('http.response.status_code', outcome.status);
    if (outcome.code !== undefined) span.setAttribute('notion.error_code', outcome.code);
    if (outcome.status >= 400)
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${String(outcome.status)}` });
  } else {
    span.setAttribute(
      'error.type',
      outcome.kind === 'timeout' ? 'timeout' : (outcome.errorCode ?? 'network'),
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.kind });
  }
  span.end();
}

/** Log fields naming an outcome. */
function describeOutcome(outcome: AttemptOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'response':
      return { status: outcome.status, code: outcome.code, retryAfterMs: outcome.retryAfterMs };
    case 'timeout':
      return { failure: 'timeout' };
    case 'network':
      return { failure: 'network', errorCode: outcome.errorCode, sent: outcome.sent };
  }
}

/** Maps a request URL to its endpoint; calls outside the table get a conservative descriptor. */
function identify(url: string, rawMethod: string): CallInfo {
  const method = rawMethod.toLowerCase() as HttpMethod;
  const pathname = new URL(url).pathname;
  const at = pathname.indexOf('/v1/');
  const path = (at === -1 ? pathname : pathname.slice(at + 4)).replace(/^\/+|\/+$/g, '');
  const matched = matchEndpoint(method, path);
  if (matched !== undefined) return { endpoint: matched.endpoint, method, path, pathParams: matched.params };
  // Not in our table (comments, file uploads, ...): only reads and deletes are assumed safe to repeat.
  const resource = path.split('/')[0] ?? '';
  return {
    endpoint: {
      name: `${resource}.${method}`,
      method,
      path,
      pathParams: [],
      idempotent: method === 'get' || method === 'delete',
      paginated: false,
      creates: method === 'post',
    },
    method,
    path,
    pathParams: {},
  };
}

/** The request body's `parent`, reduced to its string and boolean fields (ids, `type`, `workspace`). */
function parentOf(body: GatewayRequestInit['body']): WriteTarget | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const parent = (parsed as { parent?: unknown } | null)?.parent;
    if (typeof parent !== 'object' || parent === null) return undefined;
    const out: Record<string, string | boolean> = {};
    for (const [key, value] of Object.entries(parent)) {
      if (typeof value === 'string' || typeof value === 'boolean') out[key] = value;
    }
    return out;
  } catch {
    return undefined;
  }
}

function parseErrorBody(text: string): { code?: string; requestId?: string; rateLimitReason?: string } {
  try {
    const body = JSON.parse(text) as {
      code?: unknown;
      request_id?: unknown;
      additional_data?: { rate_limit_reason?: unknown };
    } | null;
    if (body === null || typeof body !== 'object') return {};
    return {
      ...(typeof body.code === 'string' ? { code: body.code } : {}),
      ...(typeof body.request_id === 'string' ? { requestId: body.request_id } : {}),
      ...(typeof body.additional_data?.rate_limit_reason === 'string'
        ? { rateLimitReason: body.additional_data.rate_limit_reason }
        : {}),
    };
  } catch {
    return {};
  }
}

function requestIdOf(text: string): string | undefined {
  const match = /"request_id"\s*:\s*"([^"]+)"/.exec(text.slice(-400));
  return match?.[1];
}

/** A fresh Response over the body text we already read (a body can be read once). */
function rebuild(res: { status: number; statusText: string; headers: Headers }, text: string): Response {
  const noBody = res.status === 204 || res.status === 205 || res.status === 304;
  return new Response(noBody ? null : text, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}
