import type { Clock } from '../clock.js';
import type { RateLimitOptions } from './emulator-options.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per integration token: `burst` requests at once, refilled at `requestsPerSecond`
 * (Notion's classic per-connection limit, notion-api-facts.md §9).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #rate: number;
  readonly #burst: number;

  constructor(
    options: RateLimitOptions,
    readonly clock: Clock,
  ) {
    this.#rate = options.requestsPerSecond;
    this.#burst = options.burst ?? options.requestsPerSecond;
  }

  /** Takes one token; returns 0 when allowed, else the whole seconds to wait (≥ 1) for `Retry-After`. */
  take(key: string): number {
    const now = this.clock.now();
    const b = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#rate);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.#rate));
  }

  reset(): void {
    this.#buckets.clear();
  }
}
