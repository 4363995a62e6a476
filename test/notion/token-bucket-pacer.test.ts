import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { sharedTokenBucketPacer, tokenFingerprint } from '../../src/notion/shared-pacer.js';
import { TokenBucketPacer } from '../../src/notion/token-bucket-pacer.js';

/** Acquires once per arrival (virtual ms, in any order) and returns the grant times, in grant order. */
async function grantTimes(
  clock: ManualClock,
  pacer: TokenBucketPacer,
  arrivals: readonly number[],
): Promise<number[]> {
  const grants: number[] = [];
  const sorted = [...arrivals].sort((a, b) => a - b);
  for (const at of sorted) {
    if (at > clock.now()) await clock.advance(at - clock.now());
    void pacer.acquire().then(() => grants.push(clock.now()));
  }
  while (grants.length < sorted.length) {
    if (!(await clock.tick())) await new Promise<void>((r) => setImmediate(r));
  }
  return grants;
}

/** The largest number of grants in any window of `windowMs`, minus what the bucket allows there. */
function worstExcess(grants: readonly number[], rate: number, burst: number): number {
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < grants.length; i++) {
    for (let j = i; j < grants.length; j++) {
      const span = (grants[j] as number) - (grants[i] as number);
      worst = Math.max(worst, j - i + 1 - (burst + (rate * span) / 1_000));
    }
  }
  return worst;
}

describe(TokenBucketPacer, () => {
  it('never exceeds burst + rate × T in any window, for any arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 40 }),
        async (rate, burst, arrivals) => {
          const clock = new ManualClock(1_000_000);
          const pacer = new TokenBucketPacer({ requestsPerSecond: rate, burst, clock });
          const grants = await grantTimes(
            clock,
            pacer,
            arrivals.map((a) => 1_000_000 + a),
          );
          expect(grants).toHaveLength(arrivals.length);
          expect(worstExcess(grants, rate, burst)).toBeLessThanOrEqual(1e-6);
        },
      ),
      { numRuns: 40, seed: 20261122 },
    );
  });

  it('keeps the line busy: under saturation it grants ≥ 95% of the allowed rate', async () => {
    const clock = new ManualClock(0);
    const pacer = new TokenBucketPacer({ requestsPerSecond: 3, burst: 3, clock });
    let granted = 0;
    for (let i = 0; i < 300; i++) void pacer.acquire().then(() => granted++);
    await clock.advance(60_000);
    expect(granted).toBeGreaterThanOrEqual(0.95 * 3 * 60);
    expect(granted).toBeLessThanOrEqual(3 + 3 * 60);
  });

  it('lets several requests be in flight: 50 req/s with 200 ms latency reaches ≥ 95% of the rate', async () => {
    const clock = new ManualClock(0);
    const pacer = new TokenBucketPacer({ requestsPerSecond: 50, burst: 5, clock });
    let completed = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const stopAt = 10_000;
    const worker = async (): Promise<void> => {
      while (clock.now() < stopAt) {
        await pacer.acquire();
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await clock.sleep(200);
        inFlight--;
        completed++;
      }
    };
    const workers = Array.from({ length: 15 }, () => worker());
    await clock.advance(stopAt + 1_000);
    await Promise.all(workers);
    expect(maxInFlight).toBeGreaterThan(5);
    expect(completed).toBeGreaterThanOrEqual(0.95 * 50 * 10);
    expect(completed).toBeLessThanOrEqual(5 + 50 * 11);
  });

  it('serves waiters first come, first served', async () => {
    const clock = new ManualClock(0);
    const pacer = new TokenBucketPacer({ requestsPerSecond: 2, burst: 1, clock });
    const order: number[] = [];
    const all = Array.from({ length: 6 }, (_, i) => pacer.acquire().then(() => order.push(i)));
    await clock.advance(5_000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('slows down on 429, pauses every caller for Retry-After, then recovers gradually', async () => {
    const clock = new ManualClock(0);
    const pacer = new TokenBucketPacer({ requestsPerSecond: 4, burst: 1, clock });
    pacer.onThrottle(2_000);
    expect(pacer.state()).toMatchObject({ currentRequestsPerSecond: 2, tokens: 0, pausedUntil: 2_000 });
    // A second 429 from a request that was already in flight does not halve again.
    pacer.onThrottle(2_000);
    expect(pacer.state().currentRequestsPerSecond).toBe(2);

    const grants: number[] = [];
    for (let i = 0; i < 3; i++) void pacer.acquire().then(() => grants.push(clock.now()));
    await clock.advance(1_999);
    expect(grants).toEqual([]);
    await clock.advance(2_001);
    // After the pause: no burst, the slowed rate (2/s → one every 500 ms).
    expect(grants).toEqual([2_500, 3_000, 3_500]);

    // A later 429 (outside the debounce window) halves again; successes climb back additively.
    await clock.advance(1_000);
    pacer.onThrottle();
    expect(pacer.state().currentRequestsPerSecond).toBe(1);
    const rates: number[] = [];
    for (let i = 0; i < 20; i++) {
      pacer.onSuccess();
      rates.push(pacer.state().currentRequestsPerSecond);
    }
    expect(rates[0]).toBeCloseTo(1.2);
    expect(rates.every((r, i) => i === 0 || r >= (rates[i - 1] as number))).toBe(true);
    expect(rates.at(-1)).toBe(4);
  });

  it('never slows below its floor', () => {
    const clock = new ManualClock(0);
    const pacer = new TokenBucketPacer({
      requestsPerSecond: 10,
      clock,
      minRequestsPerSecond: 1,
      decreaseDebounceMs: 0,
    });
    for (let i = 0; i < 20; i++) pacer.onThrottle();
    expect(pacer.state().currentRequestsPerSecond).toBe(1);
  });

  it('drops an aborted waiter without using a token', async () => {
    const clock = new ManualClock(0);
    const pacer = new TokenBucketPacer({ requestsPerSecond: 1, burst: 1, clock });
    await pacer.acquire();
    const controller = new AbortController();
    const aborted = pacer.acquire(controller.signal);
    const next = pacer.acquire();
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    let nextAt = -1;
    void next.then(() => (nextAt = clock.now()));
    await clock.advance(1_000);
    expect(nextAt).toBe(1_000);
  });

  it('exposes a plain serialisable state and resumes from it', async () => {
    const clock = new ManualClock(10_000);
    const pacer = new TokenBucketPacer({ requestsPerSecond: 3, burst: 3, clock });
    await pacer.acquire();
    pacer.onThrottle(5_000);
    const saved = JSON.parse(JSON.stringify(pacer.state())) as ReturnType<TokenBucketPacer['state']>;
    expect(saved).toEqual({
      requestsPerSecond: 3,
      currentRequestsPerSecond: 1.5,
      burst: 3,
      tokens: 0,
      updatedAt: 10_000,
      pausedUntil: 15_000,
    });
    const resumed = new TokenBucketPacer({ clock, initialState: saved });
    let at = -1;
    void resumed.acquire().then(() => (at = clock.now()));
    await clock.advance(10_000);
    // Paused until 15 000, then one token at 1.5/s takes 667 ms.
    expect(at).toBeCloseTo(15_000 + 1_000 / 1.5, 0);
  });

  it('rejects nonsensical settings', () => {
    expect(() => new TokenBucketPacer({ requestsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new TokenBucketPacer({ burst: -1 })).toThrow(RangeError);
    expect(() => new TokenBucketPacer({ decreaseFactor: 1 })).toThrow(RangeError);
  });
});

describe(sharedTokenBucketPacer, () => {
  it('shares one bucket per token and clock, keyed by a hash of the token', () => {
    const clock = new ManualClock(0);
    const a = sharedTokenBucketPacer('ntn_sharedtokenAAAAAAAAAAAAAAAAAAAA', { clock });
    const b = sharedTokenBucketPacer('ntn_sharedtokenAAAAAAAAAAAAAAAAAAAA', { clock });
    const c = sharedTokenBucketPacer('ntn_sharedtokenBBBBBBBBBBBBBBBBBBBB', { clock });
    const otherClock = sharedTokenBucketPacer('ntn_sharedtokenAAAAAAAAAAAAAAAAAAAA', {
      clock: new ManualClock(0),
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).not.toBe(otherClock);
    const fingerprint = tokenFingerprint('ntn_sharedtokenAAAAAAAAAAAAAAAAAAAA');
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint).not.toContain('sharedtoken');
  });

  it('reports a conflicting configuration and keeps the first one', () => {
    const clock = new ManualClock(0);
    sharedTokenBucketPacer('ntn_conflicttokenCCCCCCCCCCCCCCCCCC', { clock, requestsPerSecond: 3 });
    const conflicts: unknown[] = [];
    const again = sharedTokenBucketPacer(
      'ntn_conflicttokenCCCCCCCCCCCCCCCCCC',
      { clock, requestsPerSecond: 10 },
      (e) => conflicts.push(e),
    );
    expect(conflicts).toEqual([{ requestsPerSecond: 3, burst: 3 }]);
    expect(again.state().requestsPerSecond).toBe(3);
  });
});
