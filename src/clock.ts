/**
 * The one seam through which notion-sync reads time and waits.
 *
 * Only `system-clock.ts` touches `Date.now()` and `setTimeout`; everything else takes a `Clock`, so that
 * backoff, `Retry-After`, the circuit breaker, pacing and leases can be tested in virtual time with
 * `ManualClock`.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with the signal's reason if `signal` aborts first.
   * A non-positive `ms` resolves on the next tick.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
