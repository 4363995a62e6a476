/**
 * What the crash suites share: a seeded PRNG, a child process running an engine in a loop that the test
 * SIGKILLs at a chosen moment, and a clock whose time can lag real time while data is seeded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../src/clock.js';
import { describeHeldLease } from '../../src/schedule/held-lease.js';
import { releaseGoneLeases } from '../../src/schedule/job-leases.js';
import { openStore } from '../../src/store/open-store.js';
import { systemClock } from '../../src/system-clock.js';

/** Mulberry32: a small, seedable PRNG (same seed → same kill points). */
export function prng(seed: number): { next(): number; int(lo: number, hi: number): number } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** Real time minus `lagMs` (lowered while seeding, never raised, so time never goes back). */
export function laggingClock(): Clock & { lagMs: number } {
  const clock = {
    lagMs: 0,
    now: () => systemClock.now() - clock.lagMs,
    sleep: (ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal),
  };
  return clock;
}

/** What became of one child run. */
export interface ChildRun {
  /** `killed`: SIGKILLed by the test; `exited`: ended on its own (its exit code). */
  readonly end: 'killed' | 'exited';
  readonly code: number | null;
  /** The JSON lines the child printed (one per engine run it finished, plus `{"ready":true}`). */
  readonly lines: Record<string, unknown>[];
  readonly stderr: string;
  /** Milliseconds from the child's `ready` line to the kill (undefined when not killed). */
  readonly killedAfterMs: number | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns `node --import tsx <script> ...args`; once it prints `{"ready":true}` (or the line `killFrom` picks),
 * waits `killAfterMs` (if given) and SIGKILLs it. Resolves when the process has ended; rejects after `timeoutMs`.
 */
export function runChild(
  script: string,
  args: readonly string[],
  options: {
    killAfterMs?: number;
    /** Start the `killAfterMs` countdown at the first line matching this instead of at `ready`. */
    killFrom?: (line: Record<string, unknown>) => boolean;
    env?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<ChildRun> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  let killed = false;
  let armed = false;
  let killedAfterMs: number | undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${script} did not end within ${options.timeoutMs ?? 120_000} ms: ${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        const from = options.killFrom ?? ((l: Record<string, unknown>) => l.ready === true);
        if (!armed && from(parsed) && options.killAfterMs !== undefined) {
          armed = true;
          const after = options.killAfterMs;
          void sleep(after).then(() => {
            if (child.exitCode === null) {
              killed = true;
              killedAfterMs = after;
              child.kill('SIGKILL');
            }
          });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ end: killed ? 'killed' : 'exited', code, lines, stderr, killedAfterMs });
    });
  });
}

/** The store a crash suite runs on: a SQLite file, or a PostgreSQL URL and schema. */
export interface CrashStore {
  readonly name: string;
  /** A store URL (`sqlite:<file>` or `postgres://…`), or a SQLite file path. */
  readonly url: string;
  /** PostgreSQL: the schema (the child reads it from `CRASH_STORE_SCHEMA`). */
  readonly schema?: string;
}

/**
 * Releases every lease left in the store by killed children, as `notion-sync runs release` does (only leases
 * whose process is gone): it stands for the wait after a crash until the dead run's lease expires (10
 * minutes). Throws when a lease's holder still lives. Call only while no child is running.
 */
export async function expireLeases(target: string | CrashStore): Promise<number> {
  const { url, schema } = typeof target === 'string' ? { url: target, schema: undefined } : target;
  const store = await openStore(url, schema === undefined ? {} : { schema });
  try {
    const held = (await store.leases.listActive()).map((lease) => describeHeldLease(lease));
    const { released, kept } = await releaseGoneLeases(store, held);
    if (kept.length > 0)
      throw new Error(`leases kept: ${kept.map((k) => `${k.lease.name}: ${k.hint}`).join('; ')}`);
    return released.length;
  } finally {
    await store.close();
  }
}

/** `a x3, b x1`: a short summary of repeated words. */
export function tally(words: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([w, n]) => `${w} x${n}`).join(', ') || 'none';
}
