/**
 * Server latency: p50/p99 of `GET /`, `GET /api/jobs` and `GET /api/runs` through `app.request()` (no
 * socket: the handler, the store queries and the rendering), on a SQLite file store holding RUNS finished
 * runs spread over JOBS jobs, three of them blocked by leases other processes hold. Goal: p99 < 50 ms for each.
 *
 *   npx tsx bench/server.bench.ts   (env: RUNS=10000 JOBS=20 REQUESTS=300)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/manual-clock.js';
import type { Job, JobOutcome } from '../src/schedule/job.js';
import { createServerApp } from '../src/server/create-server-app.js';
import { runLeaseHolder } from '../src/schedule/lease-holder.js';
import { createScheduler } from '../src/schedule/scheduler.js';
import { openStore } from '../src/store/open-store.js';
import type { RunStatus } from '../src/store/runs-repository.js';

const RUNS = Number(process.env['RUNS'] ?? 10_000);
const JOBS = Number(process.env['JOBS'] ?? 20);
const REQUESTS = Number(process.env['REQUESTS'] ?? 300);
const WARMUP = 20;
const RUN_SPACING_MS = 30_000;
const GOAL_P99_MS = 50;
const TOKEN = 'bench-token-0123456789abcdef';
const LEASE_TTL_MS = 365 * 86_400_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'notion-sync-server-bench-'));
  // A history as a daemon writes it: a run every 30 s (runs of one job never share a start time).
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00.000Z'));
  const store = await openStore(`sqlite:${join(dir, 'bench.db')}`, { clock });
  try {
    const jobs: Job[] = Array.from({ length: JOBS }, (_, i) => ({
      id: `mirror:db${i}`,
      kind: 'mirror',
      name: `db${i}`,
      runTarget: `db${i}`,
      schedule: { type: 'manual' },
      run: (): Promise<JobOutcome> => Promise.reject(new Error('not run in the benchmark')),
    }));
    const statuses: RunStatus[] = ['succeeded', 'succeeded', 'succeeded', 'partial', 'failed'];
    const seedStart = performance.now();
    await store.transaction(async (tx) => {
      for (let i = 0; i < RUNS; i++) {
        const run = await tx.runs.start({ kind: 'mirror', target: `db${i % JOBS}`, trigger: 'schedule' });
        const status = statuses[i % statuses.length] as Exclude<RunStatus, 'running'>;
        clock.set(clock.now() + RUN_SPACING_MS);
        await tx.runs.finish(run.id, {
          status,
          counts: { created: i % 7, updated: i % 13 },
          apiCalls: 10,
          ...(status === 'failed' ? { error: { code: 'notion_api', message: 'Service unavailable' } } : {}),
        });
      }
    });
    // Leases other processes hold, as the jobs' `blockedBy` finds them: a scheduler's lease of one job, and
    // the data-source leases of two runs still in flight (one of a process that died).
    await store.leases.acquire('mirror:db0', 'other-host:4242:ab12cd34', LEASE_TTL_MS);
    for (const [i, pid] of [
      [1, process.pid],
      [2, 2 ** 22 + 1],
    ] as const) {
      const run = await store.runs.start({ kind: 'mirror', target: `db${i}`, trigger: 'schedule' });
      const holder = runLeaseHolder(run.id, { host: hostname(), pid });
      await store.leases.acquire(`mirror-source:ds${i}`, holder, LEASE_TTL_MS);
    }
    const seedMs = performance.now() - seedStart;
    const engine = createScheduler({ store, jobs, clock });
    engine.start();
    const app = createServerApp({ store, engine, token: TOKEN });
    const headers = { authorization: `Bearer ${TOKEN}` };

    console.log(
      `server bench: ${RUNS} runs over ${JOBS} jobs (seeded in ${seedMs.toFixed(0)} ms), ${REQUESTS} requests each`,
    );
    let failed = false;
    for (const path of ['/', '/api/jobs', '/api/runs']) {
      for (let i = 0; i < WARMUP; i++) await (await app.request(path, { headers })).arrayBuffer();
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const res = await app.request(path, { headers });
        const body = await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        bytes = body.byteLength;
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p99 = percentile(times, 99);
      const ok = p99 < GOAL_P99_MS;
      failed ||= !ok;
      console.log(
        `${`GET ${path}`.padEnd(16)} p50 ${p50.toFixed(2).padStart(7)} ms  p99 ${p99.toFixed(2).padStart(7)} ms  ` +
          `max ${(times[times.length - 1] as number).toFixed(2).padStart(7)} ms  ${bytes} bytes  ${ok ? 'ok' : `OVER ${GOAL_P99_MS} ms`}`,
      );
    }
    await engine.stop();
    if (failed) process.exitCode = 1;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
