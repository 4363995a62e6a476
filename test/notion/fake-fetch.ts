/**
 * Test helpers for the gateway: a scripted fake `fetch` (no network) and a driver that runs a promise to
 * completion under a ManualClock.
 */
import type { ManualClock } from '../../src/manual-clock.js';

/** One request the fake saw. */
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  /** When it was sent, by the clock given to `fakeFetch`. */
  readonly at: number;
}

/** What the fake does for one request. */
export type Reply =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly hang: true }
  | { readonly throws: unknown };

export type Handler = (request: SeenRequest) => Reply;

/** A Notion error body as the API sends it. */
export function notionError(
  status: number,
  code: string,
  message = code,
  extra: Record<string, unknown> = {},
): Reply {
  return {
    status,
    body: { object: 'error', status, code, message, request_id: `req-${code}`, ...extra },
    headers: extra['headers'] as Record<string, string> | undefined,
  };
}

/** A socket reset as undici reports it. */
export function connectionReset(code = 'ECONNRESET'): Reply {
  return {
    throws: Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error(`read ${code}`), { code }),
    }),
  };
}

/**
 * A fake fetch that answers from `script` (one reply per request, in order; the last one repeats) or from
 * a handler function.
 */
export function fakeFetch(
  script: readonly Reply[] | Handler,
  now: () => number = () => 0,
): typeof fetch & { readonly requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  let index = 0;
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const request: SeenRequest = {
      url,
      method: init?.method ?? 'GET',
      path: new URL(url).pathname,
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
      at: now(),
    };
    requests.push(request);
    const reply =
      typeof script === 'function'
        ? script(request)
        : (script[Math.min(index++, script.length - 1)] as Reply);
    if ('hang' in reply) {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    if ('throws' in reply) throw reply.throws;
    return new Response(JSON.stringify(reply.body ?? {}), {
      status: reply.status,
      headers: { 'content-type': 'application/json', ...reply.headers },
    });
  };
  return Object.assign(fn as typeof fetch, { requests });
}

/** Runs `promise` to completion, moving the ManualClock to each next wake-up as long as needed. */
export async function drive<T>(clock: ManualClock, promise: Promise<T>, maxSteps = 10_000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let step = 0; !settled; step++) {
    if (step > maxSteps) throw new Error('drive: too many steps');
    const moved = await clock.tick();
    if (!moved && !settled) {
      await new Promise<void>((r) => setImmediate(r));
      if (!settled && clock.pendingSleepers === 0)
        throw new Error('drive: stuck (nothing sleeping, promise pending)');
    }
  }
  return promise;
}

/** A deterministic random source (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
