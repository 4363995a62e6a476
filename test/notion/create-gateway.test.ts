import { APIResponseError } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import type { LogFields, Logger, LogLevel } from '../../src/logger.js';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import type { GatewayOptions } from '../../src/notion/create-gateway.js';
import {
  CircuitOpenError,
  OutcomeUnknownError,
  RetriesExhaustedError,
} from '../../src/notion/gateway-errors.js';
import { NotionApiError, toNotionSyncError } from '../../src/notion/notion-api-error.js';
import { connectionReset, drive, fakeFetch, notionError } from './fake-fetch.js';
import type { Reply } from './fake-fetch.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const TOKEN = 'ntn_gatewaytesttoken0123456789abcdefABCDEF';
const PAGE_ID = '1f2e3d4c-5b6a-7988-1f2e-3d4c5b6a7988';
const DS_ID = 'aaaabbbb-cccc-dddd-eeee-ffff00001111';

const page = {
  object: 'page',
  id: PAGE_ID,
  url: 'https://www.notion.so/x',
  properties: {},
  request_id: 'req-ok',
};
const ok: Reply = { status: 200, body: page };

interface LogLine {
  level: LogLevel;
  message: string;
  fields: LogFields | undefined;
}

function setup(
  script: readonly Reply[] | Parameters<typeof fakeFetch>[0],
  options: Partial<GatewayOptions> = {},
) {
  const clock = new ManualClock(T0);
  const fetch = fakeFetch(script, () => clock.now());
  const logs: LogLine[] = [];
  const logger: Logger = (level, message, fields) =>
    logs.push({ level, message, fields: typeof fields === 'function' ? fields() : fields });
  const gateway = createGateway({
    token: TOKEN,
    clock,
    fetch,
    logger,
    random: () => 0.5,
    requestsPerSecond: 1_000,
    burst: 100,
    ...options,
  });
  return { clock, fetch, logs, gateway };
}

/**
 * The retry goes out once the wait is over, plus the one token interval of the slowed-down pacer (whose
 * bucket a throttle empties): 1_000 req/s halved → 2 ms.
 */
function expectSecondAttemptAfter(requests: readonly { at: number }[], waitMs: number): void {
  expect(requests).toHaveLength(2);
  expect((requests[1]?.at ?? 0) - T0).toBeGreaterThanOrEqual(waitMs);
  expect((requests[1]?.at ?? 0) - T0).toBeLessThanOrEqual(waitMs + 2);
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const createArgs = {
  parent: { data_source_id: DS_ID },
  properties: { Name: { title: [{ text: { content: 'Row 1' } }] } },
};

describe(createGateway, () => {
  it('sends through the real SDK client with our headers, and counts what it sent', async () => {
    const { gateway, fetch, clock } = setup([ok]);
    const result = await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
    expect(result.id).toBe(PAGE_ID);
    const [request] = fetch.requests;
    expect(request?.url).toBe(`https://api.notion.com/v1/pages/${PAGE_ID}`);
    expect(request?.method).toBe('GET');
    expect(request?.headers['Notion-Version']).toBe('2025-09-03');
    expect(request?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    const m = gateway.metrics.snapshot();
    expect(m.endpoints['pages.retrieve']).toMatchObject({ calls: 1, attempts: 1, retries: 0, succeeded: 1 });
    expect(m.total.bytesReceived).toBe(JSON.stringify(page).length);
  });

  it('honours baseUrl (trailing slash tolerated) and notionVersion', async () => {
    const { gateway, fetch, clock } = setup([ok], {
      baseUrl: 'http://127.0.0.1:9999/',
      notionVersion: '2022-06-28',
    });
    await drive(clock, gateway.client.pages.update({ page_id: PAGE_ID, in_trash: true }));
    expect(fetch.requests[0]?.url).toBe(`http://127.0.0.1:9999/v1/pages/${PAGE_ID}`);
    expect(fetch.requests[0]?.headers['Notion-Version']).toBe('2022-06-28');
    expect(fetch.requests[0]?.body).toBe('{"in_trash":true}');
    expect(gateway.metrics.snapshot().total.bytesSent).toBe('{"in_trash":true}'.length);
  });

  describe('retries of idempotent calls', () => {
    it.each([
      ['429 rate_limited', notionError(429, 'rate_limited')],
      ['529 service_overload', notionError(529, 'service_overload')],
      ['500 internal_server_error', notionError(500, 'internal_server_error')],
      ['502 bad_gateway (HTML from a proxy)', { status: 502, body: '<html>Bad gateway</html>' } as Reply],
      ['503 service_unavailable', notionError(503, 'service_unavailable')],
      ['504 gateway_timeout', notionError(504, 'gateway_timeout')],
      ['409 conflict_error', notionError(409, 'conflict_error')],
      ['a connection reset', connectionReset('ECONNRESET')],
      ['an undici socket error', connectionReset('UND_ERR_SOCKET')],
    ])('retries after %s and succeeds', async (_label, failure) => {
      const { gateway, fetch, clock } = setup([failure, ok]);
      const result = await drive(clock, gateway.client.pages.update({ page_id: PAGE_ID, properties: {} }));
      expect(result.id).toBe(PAGE_ID);
      expect(fetch.requests).toHaveLength(2);
      expect(gateway.metrics.snapshot().total).toMatchObject({
        calls: 1,
        attempts: 2,
        retries: 1,
        succeeded: 1,
      });
    });

    it('backs off exponentially with jitter when there is no Retry-After', async () => {
      const { gateway, fetch, clock } = setup([notionError(500, 'internal_server_error')], {
        retry: { maxAttempts: 4, baseDelayMs: 1_000 },
        random: () => 0.5,
      });
      const error = await drive(clock, caught(gateway.client.pages.retrieve({ page_id: PAGE_ID })));
      expect(APIResponseError.isAPIResponseError(error)).toBe(true);
      // random 0.5 × 1 s, × 2 s, × 4 s
      expect(fetch.requests.map((r) => r.at - T0)).toEqual([0, 500, 1_500, 3_500]);
    });

    it('waits Retry-After given in seconds', async () => {
      const { gateway, fetch, clock } = setup([
        { ...notionError(429, 'rate_limited'), headers: { 'retry-after': '7' } },
        ok,
      ]);
      await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      expectSecondAttemptAfter(fetch.requests, 7_000);
      expect(gateway.metrics.snapshot().total).toMatchObject({ rateLimited: 1, retryWaitMs: 7_000 });
    });

    it('waits Retry-After given as an HTTP date', async () => {
      const { gateway, fetch, clock } = setup([
        {
          ...notionError(529, 'service_overload'),
          headers: { 'retry-after': new Date(T0 + 12_000).toUTCString() },
        },
        ok,
      ]);
      await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      expectSecondAttemptAfter(fetch.requests, 12_000);
    });

    it('caps Retry-After at maxRetryAfterMs', async () => {
      const { gateway, fetch, clock } = setup(
        [{ ...notionError(429, 'rate_limited'), headers: { 'retry-after': '3600' } }, ok],
        { retry: { maxRetryAfterMs: 20_000 } },
      );
      await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      expectSecondAttemptAfter(fetch.requests, 20_000);
    });

    it('honours a long workspace-level Retry-After', async () => {
      const workspace429 = notionError(429, 'rate_limited', 'slow down', {
        additional_data: { rate_limit_reason: 'public_api_space_request_rate_limit' },
      });
      const { gateway, fetch, clock } = setup([{ ...workspace429, headers: { 'retry-after': '150' } }, ok]);
      await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      expectSecondAttemptAfter(fetch.requests, 150_000);
    });

    it('times out a silent attempt and retries it', async () => {
      const { gateway, fetch, clock } = setup([{ hang: true }, ok], { requestTimeoutMs: 5_000 });
      const result = await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      expect(result.id).toBe(PAGE_ID);
      expect(fetch.requests[1]?.at).toBeGreaterThanOrEqual(T0 + 5_000);
      expect(gateway.metrics.snapshot().total).toMatchObject({ timeouts: 1, attempts: 2, succeeded: 1 });
    });

    it('returns the last answer to the SDK after maxAttempts, so callers get APIResponseError', async () => {
      const { gateway, fetch, clock } = setup([notionError(503, 'service_unavailable')], {
        retry: { maxAttempts: 3, baseDelayMs: 10 },
      });
      const error = await drive(clock, caught(gateway.client.pages.retrieve({ page_id: PAGE_ID })));
      expect(fetch.requests).toHaveLength(3);
      expect(error).toBeInstanceOf(APIResponseError);
      expect(error).toMatchObject({
        code: 'service_unavailable',
        status: 503,
        request_id: 'req-service_unavailable',
      });
      expect(gateway.metrics.snapshot().total).toMatchObject({
        attempts: 3,
        retries: 2,
        failed: 1,
        serverErrors: 3,
      });
    });

    it('raises RetriesExhaustedError when every attempt timed out', async () => {
      const { gateway, fetch, clock } = setup([{ hang: true }], {
        retry: { maxAttempts: 2, baseDelayMs: 10 },
        requestTimeoutMs: 1_000,
      });
      const error = await drive(clock, caught(gateway.client.blocks.children.list({ block_id: PAGE_ID })));
      expect(fetch.requests).toHaveLength(2);
      expect(error).toBeInstanceOf(RetriesExhaustedError);
      expect(error).toMatchObject({
        code: 'retries_exhausted',
        endpoint: 'blocks.children.list',
        lastFailure: 'timeout',
      });
    });

    it('does not retry client errors', async () => {
      const { gateway, fetch, clock } = setup([
        notionError(400, 'validation_error', 'Name is not a property that exists.'),
      ]);
      const error = await drive(
        clock,
        caught(gateway.client.pages.update({ page_id: PAGE_ID, properties: {} })),
      );
      expect(fetch.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'validation_error', status: 400 });
    });
  });

  describe('non-idempotent writes', () => {
    it.each([
      ['a timeout', { hang: true } as Reply, 'timeout'],
      ['a connection reset', connectionReset('ECONNRESET'), 'connection_lost'],
      ['a socket hang-up', { throws: new Error('socket hang up') } as Reply, 'connection_lost'],
      ['a 500', notionError(500, 'internal_server_error'), 'server_error'],
      ['a 502', { status: 502, body: 'bad gateway' } as Reply, 'server_error'],
      ['a 504', notionError(504, 'gateway_timeout'), 'server_error'],
    ])(
      'pages.create after %s raises OutcomeUnknownError and is NOT repeated',
      async (_l, failure, reason) => {
        const { gateway, fetch, clock, logs } = setup([failure, ok], { requestTimeoutMs: 1_000 });
        const error = await drive(clock, caught(gateway.client.pages.create(createArgs)));
        expect(fetch.requests).toHaveLength(1);
        expect(error).toBeInstanceOf(OutcomeUnknownError);
        expect(error).toMatchObject({
          code: 'outcome_unknown',
          endpoint: 'pages.create',
          method: 'post',
          path: 'pages',
          parent: { data_source_id: DS_ID },
          reason,
          attempts: 1,
        });
        expect((error as OutcomeUnknownError).hint).toContain('look the object up');
        expect(JSON.stringify((error as OutcomeUnknownError).toJSON())).not.toContain(TOKEN);
        expect(logs.some((l) => l.message === 'write outcome unknown')).toBe(true);
        expect(gateway.metrics.snapshot().total).toMatchObject({ outcomeUnknown: 1, failed: 1 });
      },
    );

    it('blocks.children.append after a timeout names the block it targeted', async () => {
      const { gateway, fetch, clock } = setup([{ hang: true }], { requestTimeoutMs: 1_000 });
      const error = await drive(
        clock,
        caught(
          gateway.client.blocks.children.append({
            block_id: PAGE_ID,
            children: [{ paragraph: { rich_text: [] } }],
          }),
        ),
      );
      expect(fetch.requests).toHaveLength(1);
      expect(error).toMatchObject({
        endpoint: 'blocks.children.append',
        method: 'patch',
        pathParams: { block_id: PAGE_ID },
        reason: 'timeout',
      });
    });

    it.each([
      ['429', { ...notionError(429, 'rate_limited'), headers: { 'retry-after': '1' } } as Reply],
      ['529', notionError(529, 'service_overload')],
      ['a refused connection (never sent)', connectionReset('ECONNREFUSED')],
    ])('a create refused with %s IS retried', async (_l, refusal) => {
      const { gateway, fetch, clock } = setup([refusal, ok]);
      const result = await drive(clock, gateway.client.pages.create(createArgs));
      expect(result.id).toBe(PAGE_ID);
      expect(fetch.requests).toHaveLength(2);
      expect(fetch.requests[1]?.body).toBe(fetch.requests[0]?.body);
    });

    it('a create answered 409 conflict_error is not repeated and reports a plain API error (nothing was written)', async () => {
      const { gateway, fetch, clock } = setup([notionError(409, 'conflict_error'), ok]);
      const error = await drive(
        clock,
        caught(gateway.client.databases.create({ parent: { type: 'page_id', page_id: PAGE_ID }, title: [] })),
      );
      expect(fetch.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'conflict_error', status: 409 });
    });
  });

  describe('circuit breaker', () => {
    it('opens after consecutive failures, fails fast without sending, then probes and closes', async () => {
      let healthy = false;
      const { gateway, fetch, clock } = setup(
        () => (healthy ? ok : notionError(500, 'internal_server_error')),
        {
          retry: { maxAttempts: 1 },
          breaker: { failureThreshold: 3, coolDownMs: 10_000 },
        },
      );
      for (let i = 0; i < 3; i++) {
        await drive(clock, caught(gateway.client.pages.retrieve({ page_id: PAGE_ID })));
      }
      expect(gateway.breaker.state).toBe('open');
      const refused = await drive(clock, caught(gateway.client.pages.retrieve({ page_id: PAGE_ID })));
      expect(refused).toBeInstanceOf(CircuitOpenError);
      expect(refused).toMatchObject({ retryAt: clock.now() + 10_000 });
      expect(fetch.requests).toHaveLength(3);
      expect(gateway.metrics.snapshot().total.circuitOpen).toBe(1);

      await clock.advance(10_000);
      healthy = true;
      await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      expect(gateway.breaker.state).toBe('closed');
      expect(fetch.requests).toHaveLength(4);
    });

    it('stops retrying a call when the breaker opens mid-way', async () => {
      const { gateway, fetch, clock } = setup([notionError(502, 'bad_gateway')], {
        retry: { maxAttempts: 10, baseDelayMs: 10 },
        breaker: { failureThreshold: 4 },
      });
      const error = await drive(clock, caught(gateway.client.pages.retrieve({ page_id: PAGE_ID })));
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(fetch.requests).toHaveLength(4);
    });
  });

  describe('pacing', () => {
    it('shares one bucket across gateways on the same token', () => {
      const clock = new ManualClock(T0);
      const a = createGateway({ token: TOKEN, clock, fetch: fakeFetch([ok]) });
      const b = createGateway({ token: TOKEN, clock, fetch: fakeFetch([ok]) });
      const c = createGateway({ token: `${TOKEN}-other`, clock, fetch: fakeFetch([ok]) });
      expect(a.pacer).toBe(b.pacer);
      expect(a.pacer).not.toBe(c.pacer);
    });

    it('paces requests at the configured rate', async () => {
      const { gateway, fetch, clock } = setup(() => ok, { requestsPerSecond: 2, burst: 1 });
      const calls = Array.from({ length: 5 }, () => gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      await drive(clock, Promise.all(calls));
      expect(fetch.requests.map((r) => r.at - T0)).toEqual([0, 500, 1_000, 1_500, 2_000]);
      expect(gateway.metrics.snapshot().total.pacerWaitMs).toBe(500 + 1_000 + 1_500 + 2_000);
    });

    it("pauses every caller of the token until a 429's Retry-After has passed", async () => {
      let first = true;
      const { gateway, fetch, clock } = setup(
        (req) => {
          if (first && req.method === 'GET') {
            first = false;
            return { ...notionError(429, 'rate_limited'), headers: { 'retry-after': '5' } };
          }
          return ok;
        },
        { requestsPerSecond: 100, burst: 10 },
      );
      const throttled = gateway.client.pages.retrieve({ page_id: PAGE_ID });
      await clock.advance(100);
      const other = gateway.client.pages.update({ page_id: PAGE_ID, in_trash: false });
      await drive(clock, Promise.all([throttled, other]));
      const update = fetch.requests.find((r) => r.method === 'PATCH');
      expect(update?.at).toBeGreaterThanOrEqual(T0 + 5_000);
      expect(gateway.pacer.state().currentRequestsPerSecond).toBeLessThan(100);
    });
    it('still pauses the token when the last attempt is a 429, so the next call waits', async () => {
      const { gateway, fetch, clock } = setup(
        [{ ...notionError(429, 'rate_limited'), headers: { 'retry-after': '4' } }, ok],
        { retry: { maxAttempts: 1 } },
      );
      const error = await drive(clock, caught(gateway.client.pages.retrieve({ page_id: PAGE_ID })));
      expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
      await drive(clock, gateway.client.pages.retrieve({ page_id: PAGE_ID }));
      expect((fetch.requests[1]?.at ?? 0) - T0).toBeGreaterThanOrEqual(4_000);
    });
  });

  describe('pagination through the SDK', () => {
    it('follows next_cursor and yields whole pages', async () => {
      const { gateway, fetch, clock } = setup((req) => {
        const cursor = new URL(req.url).searchParams.get('start_cursor');
        const index = cursor === null ? 0 : Number(cursor);
        return {
          status: 200,
          body: {
            object: 'list',
            type: 'block',
            block: {},
            results: [{ object: 'block', id: `b${String(index)}` }],
            next_cursor: index < 2 ? String(index + 1) : null,
            has_more: index < 2,
          },
        };
      });
      const pages: unknown[] = [];
      await drive(
        clock,
        (async () => {
          for await (const p of gateway.paginate(gateway.client.blocks.children.list, {
            block_id: PAGE_ID,
            page_size: 1,
          })) {
            pages.push(p);
          }
        })(),
      );
      expect(pages).toEqual([
        {
          results: [{ object: 'block', id: 'b0' }],
          nextCursor: '1',
          hasMore: true,
          requestStatus: undefined,
        },
        {
          results: [{ object: 'block', id: 'b1' }],
          nextCursor: '2',
          hasMore: true,
          requestStatus: undefined,
        },
        {
          results: [{ object: 'block', id: 'b2' }],
          nextCursor: null,
          hasMore: false,
          requestStatus: undefined,
        },
      ]);
      expect(fetch.requests.map((r) => new URL(r.url).search)).toEqual([
        '?page_size=1',
        '?start_cursor=1&page_size=1',
        '?start_cursor=2&page_size=1',
      ]);
    });
  });

  describe('secrets', () => {
    it('never lets the token reach a log line, an error or a metric', async () => {
      // A hostile proxy echoing the Authorization header back in its error body.
      const echo = notionError(400, 'validation_error', `bad header: Bearer ${TOKEN} and ${TOKEN}`);
      const { gateway, clock, logs } = setup(
        [notionError(500, 'internal_server_error', `oops ${TOKEN}`), echo],
        {
          retry: { baseDelayMs: 1 },
        },
      );
      const error = await drive(
        clock,
        // An unknown parameter makes the SDK warn too.
        caught(gateway.client.pages.update({ page_id: PAGE_ID, bogus: TOKEN } as never)),
      );
      const converted = toNotionSyncError(error);
      expect(converted).toBeInstanceOf(NotionApiError);
      const everything = JSON.stringify({
        logs,
        message: (converted as NotionApiError).message,
        json: (converted as NotionApiError).toJSON(),
        metrics: gateway.metrics.snapshot(),
      });
      expect(logs.length).toBeGreaterThan(2);
      expect(logs.some((l) => l.level === 'warn' && l.message.includes('unknown parameters'))).toBe(true);
      expect(everything).toContain('[REDACTED]');
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(TOKEN.slice(4, 24));
    });
  });

  it('warns about a Notion-Version it was not tested with, and sends it anyway', async () => {
    const { gateway, fetch, clock, logs } = setup([ok], { notionVersion: '2030-01-01' });
    await drive(clock, gateway.client.users.me({}));
    expect(fetch.requests[0]?.headers['Notion-Version']).toBe('2030-01-01');
    expect(logs.some((l) => l.level === 'warn' && l.message === 'untested notion version')).toBe(true);
  });

  it('rejects a retry budget below one attempt', () => {
    expect(() => createGateway({ token: TOKEN, retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
  });

  it('rejects a missing token with a message that says what to do', () => {
    expect(() => createGateway({ token: '' })).toThrow(
      expect.objectContaining({ code: 'invalid_config', hint: expect.stringContaining('NOTION_TOKEN') }),
    );
  });
});
