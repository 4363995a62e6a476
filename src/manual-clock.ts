import type { Clock } from './clock.js';

interface Sleeper {
  readonly wakeAt: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A clock that moves only when told to: for tests of pacing, retries, breakers and leases in virtual time.
 *
 * ### Examples
 * ```ts
 * import { ManualClock } from 'notion-sync';
 * const clock = new ManualClock(0);
 * const done = clock.sleep(1_000);
 * await clock.advance(1_000); // `done` resolves now
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  #seq = 0;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        wakeAt: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /** Number of callers currently sleeping. */
  get pendingSleepers(): number {
    return this.#sleepers.length;
  }

  /** The earliest wake-up time among sleepers, or `undefined`. */
  nextWakeAt(): number | undefined {
    let min: number | undefined;
    for (const s of this.#sleepers) if (min === undefined || s.wakeAt < min) min = s.wakeAt;
    return min;
  }

  /**
   * Moves time forward by `ms`, waking sleepers in time order and letting the microtasks that each
   * wake-up schedules run before the next one (so chains of sleeps behave as in real time).
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.#earliestDue(target);
      if (!next) break;
      this.#now = Math.max(this.#now, next.wakeAt);
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      next.resolve();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Advances straight to the next sleeper's wake-up time (if any) and wakes it. */
  async tick(): Promise<boolean> {
    await flushMicrotasks();
    const at = this.nextWakeAt();
    if (at === undefined) return false;
    await this.advance(at - this.#now);
    return true;
  }

  /** Sets the time without waking anyone (use `advance` to wake sleepers). */
  set(ms: number): void {
    this.#now = ms;
  }

  #earliestDue(target: number): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) {
      if (s.wakeAt > target) continue;
      if (!best || s.wakeAt < best.wakeAt || (s.wakeAt === best.wakeAt && s.seq < best.seq)) best = s;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}
