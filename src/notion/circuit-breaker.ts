import type { Clock } from '../clock.js';
import { systemClock } from '../system-clock.js';
import { CircuitOpenError } from './gateway-errors.js';

/** Consecutive failures that open the breaker. */
export const DEFAULT_FAILURE_THRESHOLD = 5;
/** How long the breaker stays open before letting one probe through. */
export const DEFAULT_COOL_DOWN_MS = 30_000;

export interface BreakerOptions {
  /** Consecutive failures (5xx, timeouts, lost connections) that open the breaker. @default 5 */
  failureThreshold?: number;
  /** Time open before one probe request is let through. @default 30_000 ms */
  coolDownMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * How an attempt ended, for the breaker:
 * - `success`: Notion answered normally;
 * - `failure`: 5xx, timeout or lost connection (Notion or the path to it is unhealthy);
 * - `neutral`: 429/529 (healthy but busy): neither counts nor resets;
 * - `healthy`: other 4xx (Notion works; the request was wrong): resets the count like a success.
 */
export type BreakerResult = 'success' | 'failure' | 'neutral' | 'healthy';

/** Proof that an attempt was admitted, handed back with its result. */
export interface BreakerPermit {
  readonly generation: number;
  readonly probe: boolean;
}

/**
 * A circuit breaker: opens after `failureThreshold` consecutive failures and then fails calls fast with
 * `CircuitOpenError`; after `coolDownMs` it turns half-open and lets exactly one probe through, which
 * closes it on success or opens it again on failure. Results of attempts admitted before the last state
 * change are ignored, so a slow request from before an outage cannot close the breaker.
 */
export class CircuitBreaker {
  readonly #clock: Clock;
  readonly #threshold: number;
  readonly #coolDownMs: number;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openUntil = 0;
  #probeInFlight = false;
  #generation = 0;

  constructor(options: BreakerOptions & { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#threshold = Math.max(1, Math.floor(options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD));
    this.#coolDownMs = Math.max(0, options.coolDownMs ?? DEFAULT_COOL_DOWN_MS);
  }

  /** `closed`, `open` or `half_open`, as of now. */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#clock.now() >= this.#openUntil) return 'half_open';
    return this.#state;
  }

  /** Consecutive failures counted so far. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** Throws `CircuitOpenError` when a call would be refused now, without claiming the probe. */
  check(endpoint: string): void {
    const state = this.state;
    if (state === 'open' || (state === 'half_open' && this.#probeInFlight)) throw this.#openError(endpoint);
  }

  /**
   * Admits one attempt or throws `CircuitOpenError`. In half-open state the first caller gets the probe;
   * the others are refused until its result is in.
   */
  admit(endpoint: string): BreakerPermit {
    const now = this.#clock.now();
    if (this.#state === 'open') {
      if (now < this.#openUntil) throw this.#openError(endpoint);
      this.#transition('half_open');
    }
    if (this.#state === 'half_open') {
      if (this.#probeInFlight) throw this.#openError(endpoint);
      this.#probeInFlight = true;
      return { generation: this.#generation, probe: true };
    }
    return { generation: this.#generation, probe: false };
  }

  /** Records how an admitted attempt ended. */
  record(permit: BreakerPermit, result: BreakerResult): void {
    if (permit.generation !== this.#generation) return;
    if (permit.probe) this.#probeInFlight = false;
    switch (result) {
      case 'success':
      case 'healthy':
        this.#failures = 0;
        if (this.#state !== 'closed') this.#transition('closed');
        return;
      case 'neutral':
        // Busy is not broken: a throttled probe just frees the slot for the next one.
        return;
      case 'failure':
        this.#failures++;
        if (this.#state === 'half_open' || this.#failures >= this.#threshold) {
          this.#openUntil = this.#clock.now() + this.#coolDownMs;
          this.#transition('open');
        }
        return;
    }
  }

  #transition(state: BreakerState): void {
    this.#state = state;
    this.#generation++;
    this.#probeInFlight = false;
  }

  #openError(endpoint: string): CircuitOpenError {
    const now = this.#clock.now();
    return new CircuitOpenError(endpoint, Math.max(this.#openUntil, now), now, this.#failures);
  }
}
