import type { Clock } from '../clock.js';
import { systemClock } from '../system-clock.js';
import { DEFAULT_REQUESTS_PER_SECOND } from './limits.js';
import type { Pacer, PacerState } from './pacer.js';

/** Requests that may start back to back before the average rate applies. */
export const DEFAULT_BURST = 3;
/** Factor applied to the current rate on each 429/529 (multiplicative decrease). */
export const DEFAULT_DECREASE_FACTOR = 0.5;
/** Share of the configured rate regained per successful request (additive increase). */
export const DEFAULT_INCREASE_SHARE = 0.05;
/** Throttle answers within this long of a slow-down count as the same event (requests in flight). */
export const DEFAULT_DECREASE_DEBOUNCE_MS = 1_000;
/** The slowest a pacer will go, as a share of the configured rate. */
export const DEFAULT_MIN_RATE_SHARE = 0.05;

export interface TokenBucketPacerOptions {
  /** Average requests per second. @default DEFAULT_REQUESTS_PER_SECOND (3, Notion's published limit) */
  requestsPerSecond?: number;
  /** Bucket size: requests that may start back to back. @default DEFAULT_BURST (3) */
  burst?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Multiplicative decrease on 429/529, in (0, 1). @default 0.5 */
  decreaseFactor?: number;
  /** Additive increase per success, in requests per second. @default 5% of `requestsPerSecond` */
  increasePerSuccess?: number;
  /** Floor of the slowed-down rate, in requests per second. @default 5% of `requestsPerSecond` */
  minRequestsPerSecond?: number;
  /** Window in which further throttle answers do not slow down again. @default 1_000 ms */
  decreaseDebounceMs?: number;
  /** State to resume from (e.g. saved by another process). */
  initialState?: PacerState;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** Tolerance for floating-point drift in token counts. */
const EPSILON = 1e-9;

/**
 * A token bucket: at most `burst + rate × T` requests start in any window of `T` seconds, and under
 * saturation it grants exactly `rate` per second. It slows down multiplicatively when Notion answers
 * 429/529, recovers additively on success, and pauses every caller until a 429's `Retry-After` has passed.
 * Waiters are served first come, first served; grants do not wait for earlier requests to finish, so
 * several requests can be in flight within the budget.
 *
 * ### Examples
 * ```ts
 * import { TokenBucketPacer } from 'notion-sync';
 * const pacer = new TokenBucketPacer({ requestsPerSecond: 3, burst: 3 });
 * await pacer.acquire(); // then send the request
 * ```
 */
export class TokenBucketPacer implements Pacer {
  readonly #clock: Clock;
  readonly #targetRate: number;
  readonly #burst: number;
  readonly #decreaseFactor: number;
  readonly #increasePerSuccess: number;
  readonly #minRate: number;
  readonly #decreaseDebounceMs: number;
  #rate: number;
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;
  #lastDecreaseAt = Number.NEGATIVE_INFINITY;
  #queue: Waiter[] = [];
  #pumping = false;

  constructor(options: TokenBucketPacerOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#targetRate = positive(
      options.requestsPerSecond ?? options.initialState?.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND,
      'requestsPerSecond',
    );
    this.#burst = Math.max(
      1,
      positive(options.burst ?? options.initialState?.burst ?? DEFAULT_BURST, 'burst'),
    );
    this.#decreaseFactor = options.decreaseFactor ?? DEFAULT_DECREASE_FACTOR;
    if (!(this.#decreaseFactor > 0 && this.#decreaseFactor < 1)) {
      throw new RangeError(
        `decreaseFactor must be between 0 and 1 (exclusive), got ${String(this.#decreaseFactor)}`,
      );
    }
    this.#increasePerSuccess = positive(
      options.increasePerSuccess ?? this.#targetRate * DEFAULT_INCREASE_SHARE,
      'increasePerSuccess',
    );
    this.#minRate = Math.min(
      this.#targetRate,
      positive(
        options.minRequestsPerSecond ?? this.#targetRate * DEFAULT_MIN_RATE_SHARE,
        'minRequestsPerSecond',
      ),
    );
    this.#decreaseDebounceMs = options.decreaseDebounceMs ?? DEFAULT_DECREASE_DEBOUNCE_MS;
    const now = this.#clock.now();
    const initial = options.initialState;
    this.#rate = clamp(
      initial?.currentRequestsPerSecond ?? this.#targetRate,
      this.#minRate,
      this.#targetRate,
    );
    this.#tokens = clamp(initial?.tokens ?? this.#burst, 0, this.#burst);
    this.#updatedAt = initial === undefined ? now : Math.min(initial.updatedAt, now);
    this.#pausedUntil = initial?.pausedUntil ?? 0;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          resolve();
        },
        reject,
        signal,
        onAbort: () => {
          this.#queue = this.#queue.filter((w) => w !== waiter);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  onThrottle(retryAfterMs?: number): void {
    const now = this.#clock.now();
    this.#refill(now);
    // Requests already in flight when the first 429 arrives get 429s too: count them as one event.
    if (now - this.#lastDecreaseAt >= this.#decreaseDebounceMs) {
      this.#rate = Math.max(this.#minRate, this.#rate * this.#decreaseFactor);
      this.#lastDecreaseAt = now;
    }
    // Empty the bucket so that nobody bursts out right after the pause.
    this.#tokens = 0;
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    }
  }

  onSuccess(): void {
    this.#refill(this.#clock.now());
    this.#rate = Math.min(this.#targetRate, this.#rate + this.#increasePerSuccess);
  }

  state(): PacerState {
    const now = this.#clock.now();
    this.#refill(now);
    return Object.freeze({
      requestsPerSecond: this.#targetRate,
      currentRequestsPerSecond: this.#rate,
      burst: this.#burst,
      tokens: this.#tokens,
      updatedAt: this.#updatedAt,
      pausedUntil: this.#pausedUntil > now ? this.#pausedUntil : 0,
    });
  }

  /** Callers waiting for a grant. */
  get waiting(): number {
    return this.#queue.length;
  }

  #refill(now: number): void {
    if (now <= this.#updatedAt) return;
    // No tokens accrue while paused: the pause is Notion telling us the budget is spent.
    const from = Math.max(this.#updatedAt, Math.min(now, this.#pausedUntil));
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - from) / 1_000) * this.#rate);
    this.#updatedAt = now;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void this.#serve().finally(() => {
      this.#pumping = false;
      // A waiter may have arrived while the loop was finishing.
      if (this.#queue.length > 0) this.#pump();
    });
  }

  async #serve(): Promise<void> {
    while (this.#queue.length > 0) {
      const now = this.#clock.now();
      this.#refill(now);
      if (this.#pausedUntil > now) {
        await this.#clock.sleep(this.#pausedUntil - now);
        continue;
      }
      if (this.#tokens >= 1 - EPSILON) {
        this.#tokens = Math.max(0, this.#tokens - 1);
        const waiter = this.#queue.shift();
        waiter?.resolve();
        continue;
      }
      await this.#clock.sleep(((1 - this.#tokens) / this.#rate) * 1_000);
    }
  }
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  return value;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
