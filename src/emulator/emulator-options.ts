import type { Clock } from '../clock.js';
import type { HttpMethod } from '../notion/endpoints.js';

/** What a fault does when it fires. */
export type FaultAction =
  /** Answer with this status and Notion's error body (code and message default per status). */
  | { kind: 'error'; status: number; code?: string; message?: string; retryAfterSeconds?: number }
  /** Wait this long, then handle the request normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the connection without answering (the write does not happen). */
  | { kind: 'drop' }
  /** Handle the request (the write is committed), then destroy the connection instead of answering. */
  | { kind: 'commitThenDrop' };

/** A fault rule: which calls it applies to, how often, and what it does. */
export type FaultRule = FaultAction & {
  /** Endpoint name from `src/notion/endpoints.ts` (`'pages.create'`), or `'*'` for all. @default '*' */
  route?: string;
  /** Only this HTTP method. @default any */
  method?: HttpMethod;
  /** Fire for the next N matching calls, then remove the rule. @default unlimited */
  times?: number;
  /** Fire with this probability (0..1), decided by a PRNG seeded with `seed`. @default 1 */
  probability?: number;
  /** Seed of the rule's PRNG (deterministic sequences). @default 1 */
  seed?: number;
};

/** A fault rule as listed: with its id and the calls it has left. */
export type ActiveFault = FaultRule & { id: string; fired: number };

/** Rate limiting per token: a token bucket. */
export interface RateLimitOptions {
  /** Sustained requests per second per token. */
  requestsPerSecond: number;
  /** Requests allowed in a burst. @default requestsPerSecond */
  burst?: number;
}

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Initial content: `'empty'` (a root page and a few users) or `'demo'` (a rich workspace). @default 'empty' */
  seed?: 'demo' | 'empty';
  /** When set, only `Authorization: Bearer <token>` is accepted; otherwise any non-empty bearer token. */
  token?: string;
  /** Per-token rate limit: requests per second (burst = rate), a bucket config, or `false`. @default false */
  rateLimit?: false | number | RateLimitOptions;
  /** Added to every API call, in ms (real Notion has ~200 ms). @default 0 */
  latencyMs?: number;
  /** How far the query index lags writes, in ms. @default 0 */
  consistencyLagMs?: number;
  /** Rows one query returns before `request_status` turns incomplete. @default QUERY_RESULT_CAP (10,000) */
  queryResultCap?: number;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** JSON file keeping the whole state across restarts (atomic writes, debounced, flushed on stop). */
  persistPath?: string;
  /** Debounce of persistence writes, in ms. @default 200 */
  persistDebounceMs?: number;
  /** The clock for timestamps, latency and rate limits. @default systemClock */
  clock?: Clock;
}

/** Counters of `GET /__emulator/stats` and `handle.stats()`. */
export interface EmulatorStats {
  /** Calls per endpoint name (`pages.create`), including failed ones. */
  calls: Record<string, number>;
  /** Total API requests. */
  requests: number;
  /** 429 answers sent by the rate limiter. */
  rateLimited: number;
  /** Faults that fired. */
  faultsFired: number;
  pages: number;
  blocks: number;
  databases: number;
  dataSources: number;
  users: number;
}
