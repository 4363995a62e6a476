/**
 * The pacing seam: every attempt the gateway sends first waits for `acquire()`. An implementation decides
 * how fast requests go out (`TokenBucketPacer` is the default) and reacts to Notion's throttling answers.
 */

/**
 * A plain, serialisable, readonly snapshot of a pacer, so that a later step can keep one budget per token
 * across processes (saved in the store, read back with `new TokenBucketPacer({ initialState })`).
 */
export interface PacerState {
  /** The configured average rate, in requests per second. */
  readonly requestsPerSecond: number;
  /** The rate in force now: lower than `requestsPerSecond` after 429/529 answers, recovering on success. */
  readonly currentRequestsPerSecond: number;
  /** Largest number of requests that may start back to back. */
  readonly burst: number;
  /** Requests that may start right now without waiting, as of `updatedAt` (fractional). */
  readonly tokens: number;
  /** Epoch ms at which `tokens` was computed. */
  readonly updatedAt: number;
  /** Epoch ms until which every caller waits (a 429's `Retry-After`); 0 when not paused. */
  readonly pausedUntil: number;
}

/** Decides when each request may start. Shared by every caller of one integration token. */
export interface Pacer {
  /**
   * Resolves when one request may start. Callers are served in FIFO order; several requests may be in
   * flight at once (this grants a start, it does not wait for the previous request to finish).
   * Rejects with the signal's reason if `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<void>;
  /**
   * Notion answered 429 or 529: slow down, and if it said `Retry-After`, let no one start before then.
   * @param retryAfterMs The wait Notion asked for, in ms from now.
   */
  onThrottle(retryAfterMs?: number): void;
  /** A request succeeded: recover gradually towards the configured rate. */
  onSuccess(): void;
  /** The current state, as a plain value. */
  state(): PacerState;
}
