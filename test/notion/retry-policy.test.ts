import { describe, expect, it } from 'vitest';
import { endpoints } from '../../src/notion/endpoints.js';
import {
  canRetry,
  classifyNetworkError,
  DEFAULT_RETRY_OPTIONS,
  isOutcomeUnknown,
  parseRetryAfterMs,
  retryDelayMs,
  WORKSPACE_RATE_LIMIT_REASON,
} from '../../src/notion/retry-policy.js';
import type { AttemptOutcome } from '../../src/notion/retry-policy.js';

const read = endpoints.pagesRetrieve;
const update = endpoints.pagesUpdate;
const create = endpoints.pagesCreate;
const append = endpoints.blocksChildrenAppend;

const status = (s: number, code?: string, retryAfterMs?: number): AttemptOutcome => ({
  kind: 'response',
  status: s,
  code,
  retryAfterMs,
});

describe(canRetry, () => {
  const cases: [string, AttemptOutcome, boolean, boolean][] = [
    // [label, outcome, idempotent endpoint, non-idempotent endpoint]
    ['429 rate_limited', status(429, 'rate_limited'), true, true],
    ['529 service_overload', status(529, 'service_overload'), true, true],
    ['500', status(500, 'internal_server_error'), true, false],
    ['502', status(502), true, false],
    ['503', status(503, 'service_unavailable'), true, false],
    ['504', status(504, 'gateway_timeout'), true, false],
    ['409 conflict_error', status(409, 'conflict_error'), true, false],
    ['400 validation_error', status(400, 'validation_error'), false, false],
    ['401', status(401, 'unauthorized'), false, false],
    ['404', status(404, 'object_not_found'), false, false],
    ['timeout', { kind: 'timeout' }, true, false],
    ['reset', { kind: 'network', sent: 'maybe', errorCode: 'ECONNRESET' }, true, false],
    ['refused (never sent)', { kind: 'network', sent: false, errorCode: 'ECONNREFUSED' }, true, true],
  ];
  it.each(cases)('%s: idempotent %s, create %s', (_label, outcome, idem, nonIdem) => {
    expect(canRetry(outcome, read)).toBe(idem);
    expect(canRetry(outcome, update)).toBe(idem);
    expect(canRetry(outcome, create)).toBe(nonIdem);
    expect(canRetry(outcome, append)).toBe(nonIdem);
  });
});

describe(isOutcomeUnknown, () => {
  it('is never true for idempotent endpoints', () => {
    for (const o of [
      status(500),
      { kind: 'timeout' } as const,
      { kind: 'network', sent: 'maybe' } as const,
    ]) {
      expect(isOutcomeUnknown(o, update)).toBe(false);
    }
  });
  it.each([
    ['timeout', { kind: 'timeout' } as AttemptOutcome, true],
    ['reset after send', { kind: 'network', sent: 'maybe' } as AttemptOutcome, true],
    ['never connected', { kind: 'network', sent: false } as AttemptOutcome, false],
    ['500', status(500), true],
    ['502', status(502), true],
    ['503', status(503), true],
    ['504', status(504), true],
    ['529 (refused before running)', status(529), false],
    ['429 (refused before running)', status(429), false],
    ['409 (rolled back)', status(409, 'conflict_error'), false],
    ['400', status(400, 'validation_error'), false],
  ])('create after %s → %s', (_l, outcome, unknown) => {
    expect(isOutcomeUnknown(outcome, create)).toBe(unknown);
    expect(isOutcomeUnknown(outcome, endpoints.databasesCreate)).toBe(unknown);
    expect(isOutcomeUnknown(outcome, endpoints.dataSourcesCreate)).toBe(unknown);
  });
});

describe(retryDelayMs, () => {
  it('waits Retry-After for 429 and 529, capped', () => {
    expect(retryDelayMs(status(429, 'rate_limited', 7_000), 1, () => 0.5)).toBe(7_000);
    expect(retryDelayMs(status(529, 'service_overload', 2_000), 3, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(status(429, 'rate_limited', 120_000), 1, () => 0.5)).toBe(
      DEFAULT_RETRY_OPTIONS.maxRetryAfterMs,
    );
    expect(
      retryDelayMs(status(429, 'rate_limited', 120_000), 1, () => 0.5, {
        ...DEFAULT_RETRY_OPTIONS,
        maxRetryAfterMs: 5_000,
      }),
    ).toBe(5_000);
  });

  it('honours a longer workspace-level Retry-After up to its own cap', () => {
    const workspace = (ms: number): AttemptOutcome => ({
      kind: 'response',
      status: 429,
      code: 'rate_limited',
      retryAfterMs: ms,
      rateLimitReason: WORKSPACE_RATE_LIMIT_REASON,
    });
    expect(retryDelayMs(workspace(180_000), 1, Math.random)).toBe(180_000);
    expect(retryDelayMs(workspace(3_600_000), 1, Math.random)).toBe(
      DEFAULT_RETRY_OPTIONS.maxWorkspaceRetryAfterMs,
    );
  });

  it('uses capped exponential backoff with full jitter otherwise', () => {
    const opts = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelayMs(status(500), 1, () => 0.999999, opts)).toBe(99);
    expect(retryDelayMs(status(500), 2, () => 0.999999, opts)).toBe(199);
    expect(retryDelayMs(status(500), 3, () => 0.5, opts)).toBe(200);
    expect(retryDelayMs({ kind: 'timeout' }, 10, () => 0.999999, opts)).toBe(999);
    expect(retryDelayMs(status(503), 4, () => 0, opts)).toBe(0);
  });

  it('waits at least a second after a 429 without Retry-After', () => {
    expect(retryDelayMs(status(429, 'rate_limited'), 1, () => 0)).toBe(1_000);
  });
});

describe(parseRetryAfterMs, () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('30', now)).toBe(30_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('1.5', now)).toBe(1_500);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:42 GMT', now)).toBe(42_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('', now)).toBeUndefined();
  });
});

describe(classifyNetworkError, () => {
  it('separates never-sent failures from resets', () => {
    const wrap = (code: string): unknown => Object.assign(new TypeError('fetch failed'), { cause: { code } });
    expect(classifyNetworkError(wrap('ECONNREFUSED'))).toMatchObject({
      sent: false,
      errorCode: 'ECONNREFUSED',
    });
    expect(classifyNetworkError(wrap('ENOTFOUND'))).toMatchObject({ sent: false });
    expect(classifyNetworkError(wrap('UND_ERR_CONNECT_TIMEOUT'))).toMatchObject({ sent: false });
    expect(classifyNetworkError(wrap('ECONNRESET'))).toMatchObject({ sent: 'maybe' });
    expect(classifyNetworkError(wrap('UND_ERR_SOCKET'))).toMatchObject({ sent: 'maybe' });
    expect(classifyNetworkError(new Error('socket hang up'))).toMatchObject({
      sent: 'maybe',
      errorCode: 'ECONNRESET',
    });
    expect(classifyNetworkError(new TypeError('fetch failed'))).toMatchObject({ sent: 'maybe' });
  });
});
