/**
 * Counters of what the gateway sent and what came back, per endpoint and in total. Cheap enough to keep
 * always on; `snapshot()` returns plain values for run records, `--json` output and benchmarks.
 */

/** Upper bounds (ms) of the latency histogram buckets; the last bucket is open-ended. */
export const LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  25, 50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_500, 5_000, 10_000, 30_000, 60_000,
]);

/** Counters of one endpoint (or the total). Latencies are per attempt, in ms. */
export interface EndpointMetrics {
  /** Calls made (one per SDK call, however many attempts it took). */
  readonly calls: number;
  /** HTTP attempts sent. */
  readonly attempts: number;
  /** Attempts that were repeats of an earlier one. */
  readonly retries: number;
  /** Calls that ended in success. */
  readonly succeeded: number;
  /** Calls that ended in an error (including `OutcomeUnknownError` and `CircuitOpenError`). */
  readonly failed: number;
  /** 429 `rate_limited` answers. */
  readonly rateLimited: number;
  /** 529 `service_overload` answers. */
  readonly overloaded: number;
  /** 5xx answers other than 529. */
  readonly serverErrors: number;
  /** 4xx answers other than 429. */
  readonly clientErrors: number;
  /** Attempts that hit the request timeout. */
  readonly timeouts: number;
  /** Attempts that lost their connection. */
  readonly networkErrors: number;
  /** Writes that ended with `OutcomeUnknownError`. */
  readonly outcomeUnknown: number;
  /** Calls refused by the open circuit breaker. */
  readonly circuitOpen: number;
  /** Request body bytes sent (all attempts). */
  readonly bytesSent: number;
  /** Response body bytes received (all attempts). */
  readonly bytesReceived: number;
  /** Time spent waiting for the pacer, in ms. */
  readonly pacerWaitMs: number;
  /** Time spent sleeping between retries, in ms. */
  readonly retryWaitMs: number;
  /** Sum and maximum of attempt latencies, in ms. */
  readonly latencySumMs: number;
  readonly latencyMaxMs: number;
  /** Attempt counts per latency bucket: `latencyBuckets[i]` counts latencies ≤ `LATENCY_BUCKETS_MS[i]`. */
  readonly latencyBuckets: readonly number[];
  /** Estimated from the histogram (bucket upper bound), 0 when nothing was measured. */
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
}

export interface GatewayMetricsSnapshot {
  readonly total: EndpointMetrics;
  readonly endpoints: Readonly<Record<string, EndpointMetrics>>;
}

type Counter = Exclude<
  keyof EndpointMetrics,
  'latencyBuckets' | 'latencyP50Ms' | 'latencyP95Ms' | 'latencyMaxMs' | 'latencySumMs'
>;

interface MutableMetrics {
  counters: Record<Counter, number>;
  latencySumMs: number;
  latencyMaxMs: number;
  buckets: number[];
}

function emptyMetrics(): MutableMetrics {
  return {
    counters: {
      calls: 0,
      attempts: 0,
      retries: 0,
      succeeded: 0,
      failed: 0,
      rateLimited: 0,
      overloaded: 0,
      serverErrors: 0,
      clientErrors: 0,
      timeouts: 0,
      networkErrors: 0,
      outcomeUnknown: 0,
      circuitOpen: 0,
      bytesSent: 0,
      bytesReceived: 0,
      pacerWaitMs: 0,
      retryWaitMs: 0,
    },
    latencySumMs: 0,
    latencyMaxMs: 0,
    buckets: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  };
}

/** Per-endpoint and total counters of a gateway. */
export class GatewayMetrics {
  #total = emptyMetrics();
  #byEndpoint = new Map<string, MutableMetrics>();

  /** Adds `amount` to a counter of `endpoint` and of the total. */
  add(endpoint: string, counter: Counter, amount = 1): void {
    for (const m of this.#targets(endpoint)) m.counters[counter] += amount;
  }

  /** Records one attempt's latency, in ms. */
  observeLatency(endpoint: string, ms: number): void {
    let bucket = LATENCY_BUCKETS_MS.findIndex((upper) => ms <= upper);
    if (bucket === -1) bucket = LATENCY_BUCKETS_MS.length;
    for (const m of this.#targets(endpoint)) {
      m.latencySumMs += ms;
      m.latencyMaxMs = Math.max(m.latencyMaxMs, ms);
      m.buckets[bucket] = (m.buckets[bucket] ?? 0) + 1;
    }
  }

  /** Plain, frozen copies of every counter. */
  snapshot(): GatewayMetricsSnapshot {
    const endpoints: Record<string, EndpointMetrics> = {};
    for (const [name, m] of [...this.#byEndpoint].sort(([a], [b]) => a.localeCompare(b)))
      endpoints[name] = freeze(m);
    return Object.freeze({ total: freeze(this.#total), endpoints: Object.freeze(endpoints) });
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.#total = emptyMetrics();
    this.#byEndpoint.clear();
  }

  #targets(endpoint: string): MutableMetrics[] {
    let m = this.#byEndpoint.get(endpoint);
    if (m === undefined) {
      m = emptyMetrics();
      this.#byEndpoint.set(endpoint, m);
    }
    return [m, this.#total];
  }
}

function freeze(m: MutableMetrics): EndpointMetrics {
  return Object.freeze({
    ...m.counters,
    latencySumMs: m.latencySumMs,
    latencyMaxMs: m.latencyMaxMs,
    latencyBuckets: Object.freeze([...m.buckets]),
    latencyP50Ms: quantile(m.buckets, m.latencyMaxMs, 0.5),
    latencyP95Ms: quantile(m.buckets, m.latencyMaxMs, 0.95),
  });
}

/** The upper bound of the bucket holding the q-quantile (the observed maximum for the open bucket). */
function quantile(buckets: readonly number[], maxMs: number, q: number): number {
  const count = buckets.reduce((a, b) => a + b, 0);
  if (count === 0) return 0;
  const rank = Math.ceil(q * count);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i] ?? 0;
    if (seen >= rank) return Math.min(LATENCY_BUCKETS_MS[i] ?? maxMs, maxMs);
  }
  return maxMs;
}
