/**
 * Push benchmark (issue "workers"): the unmodified example worker examples/paginated-replace (sync
 * `issuesSync`, ten issues per `execute`) pushed into the emulator by `runSyncCycle`. Prints ratios measured
 * in this run, never pass/fail on absolute times:
 *
 * 1. First cycle, ROWS issues: API calls ÷ the minimum (one `pages.create` per row plus the managed
 *    database's `databases.create`), with the calls per endpoint.
 * 2. Second cycle with 1% of the issues changed upstream: calls ÷ changed rows (goal 1: one `pages.update`
 *    per changed row, nothing for the rest; the schema checked by the first cycle is not read again).
 * 3. Achieved request rate ÷ the rate limit for a first cycle of RATE_ROWS issues when every call takes
 *    LATENCY ms (emulator rate limit and gateway pacing both RATE req/s), and the 429s (goal ≥ 0.9, zero).
 *    The example worker returns ten rows per `execute`; each batch commits only once its writes are done
 *    (DESIGN invariant 2), but the next batch is fetched and written meanwhile (`pipelineDepth`, default 2).
 *    Run with PIPELINE=1 to see the batch-bound rate, near 10 / (10 / RATE + LATENCY) ÷ RATE without burst
 *    credit (≈ 0.71 at 20 req/s and 200 ms).
 *
 * Run: `npx tsx bench/push.bench.ts` (env: ROWS=300 RATE_ROWS=300 RATE=20 LATENCY=200 PIPELINE=2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startJsonApi, type ApiItem, type JsonApi } from '../examples/json-api-server.js';
import { startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import { createGateway } from '../src/notion/create-gateway.js';
import { DEFAULT_PIPELINE_DEPTH, runSyncCycle } from '../src/push/run-sync-cycle.js';
import type { SyncRunOutcome } from '../src/push/sync-run-outcome.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { loadWorker } from '../src/workers/load-worker.js';
import { endpointCalls, loadAverage } from './support.js';

const ROWS = Number(process.env['ROWS'] ?? 300);
const RATE_ROWS = Number(process.env['RATE_ROWS'] ?? 300);
const RATE = Number(process.env['RATE'] ?? 20);
const LATENCY_MS = Number(process.env['LATENCY'] ?? 200);
const PIPELINE = Number(process.env['PIPELINE'] ?? DEFAULT_PIPELINE_DEPTH);
const WORKER = fileURLToPath(new URL('../examples/paginated-replace/worker.ts', import.meta.url));
const SYNC_KEY = 'issuesSync';
/** The managed database's creation: one `databases.create`. */
const DATABASE_CREATION_CALLS = 1;

const dir = mkdtempSync(join(tmpdir(), 'push-bench-'));
let tokenSeq = 0;
const fmt = (n: number, digits = 3): string => n.toFixed(digits);

const STATUSES = ['Open', 'In progress', 'Done'];

/** An issue in the shape the example worker reads (see `demoData()` of examples/json-api-server.ts). */
function issue(i: number, edit = 0): ApiItem {
  return {
    id: `ISS-${i + 1}`,
    title: edit === 0 ? `Issue ${i + 1}` : `Issue ${i + 1} (edit ${edit})`,
    status: STATUSES[i % 3] as string,
    points: i % 5,
    labels: i % 2 ? ['bug'] : ['feature', 'ui'],
    url: `https://issues.example.com/${i + 1}`,
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i + edit * 100_000)).toISOString(),
  };
}

interface Rig {
  readonly em: EmulatorHandle;
  readonly api: JsonApi;
  readonly store: Store;
  readonly gateway: ReturnType<typeof createGateway>;
  stop(): Promise<void>;
}

async function rig(rows: number, limit?: { rate: number; latencyMs: number }): Promise<Rig> {
  const em = await startEmulator({
    port: 0,
    ...(limit === undefined
      ? {}
      : { latencyMs: limit.latencyMs, rateLimit: { requestsPerSecond: limit.rate, burst: limit.rate } }),
  });
  const api = await startJsonApi({ issues: Array.from({ length: rows }, (_, i) => issue(i)) });
  process.env['EXAMPLE_API_URL'] = api.url;
  const store = await openStore(`sqlite:${join(dir, `push-${++tokenSeq}.db`)}`);
  // A token per emulator: the gateway's pacer is shared per token across the process.
  const gateway = createGateway({
    token: `ntn_bench_push_${tokenSeq}_000000000000`,
    baseUrl: em.url,
    // Paced at the limit with the gateway's default burst when limited, as in bench/gateway-rate.bench.ts.
    ...(limit === undefined
      ? { requestsPerSecond: 100_000, burst: 1_000 }
      : { requestsPerSecond: limit.rate }),
  });
  return {
    em,
    api,
    store,
    gateway,
    stop: async () => {
      await store.close();
      await api.stop();
      await em.stop();
    },
  };
}

async function cycle(
  r: Rig,
): Promise<{ outcome: SyncRunOutcome; endpoints: string; seconds: number; rateLimited: number }> {
  const before = r.gateway.metrics.snapshot();
  const limitedBefore = r.em.stats().rateLimited;
  const started = performance.now();
  const outcome = await runSyncCycle({
    store: r.store,
    gateway: r.gateway,
    worker: await loadWorker(WORKER),
    workerModulePath: WORKER,
    syncKey: SYNC_KEY,
    parentPageId: r.em.rootPageId ?? '',
    pipelineDepth: PIPELINE,
  });
  const seconds = (performance.now() - started) / 1_000;
  if (outcome.status !== 'succeeded')
    throw new Error(`sync ${outcome.status}: ${JSON.stringify(outcome.error)}`);
  return {
    outcome,
    endpoints: endpointCalls(before, r.gateway.metrics.snapshot()),
    seconds,
    rateLimited: r.em.stats().rateLimited - limitedBefore,
  };
}

async function callsSection(): Promise<void> {
  const r = await rig(ROWS);
  try {
    const first = await cycle(r);
    const minimum = ROWS + DATABASE_CREATION_CALLS;
    console.log(
      `first cycle, ${ROWS} rows: ${first.outcome.apiCalls} calls / minimum ${minimum} ` +
        `(${ROWS} pages.create + ${DATABASE_CREATION_CALLS} databases.create) = ` +
        `${fmt(first.outcome.apiCalls / minimum)} [${first.endpoints}]; counts ${JSON.stringify(first.outcome.counts)}`,
    );
    const changed = Math.max(1, Math.round(ROWS / 100));
    for (let k = 0; k < changed; k++) r.api.upsert('issues', issue(Math.floor((k * ROWS) / changed), 1));
    const second = await cycle(r);
    console.log(
      `second cycle, ${changed} of ${ROWS} rows changed: ${second.outcome.apiCalls} calls / ${changed} changed = ` +
        `${fmt(second.outcome.apiCalls / changed)} (goal 1) [${second.endpoints}]; ` +
        `counts ${JSON.stringify(second.outcome.counts)}`,
    );
  } finally {
    await r.stop();
  }
}

async function rateSection(): Promise<void> {
  const r = await rig(RATE_ROWS, { rate: RATE, latencyMs: LATENCY_MS });
  try {
    const run = await cycle(r);
    const achieved = run.outcome.apiCalls / run.seconds;
    console.log(
      `first cycle, ${RATE_ROWS} rows at ${LATENCY_MS} ms latency, limit ${RATE} req/s: ` +
        `pipeline depth ${PIPELINE}, ${run.outcome.apiCalls} calls in ${fmt(run.seconds, 1)} s = ${fmt(achieved, 2)} req/s; ` +
        `achieved ÷ limit = ${fmt(achieved / RATE)} (goal ≥ 0.9); 429s: ${run.rateLimited} (goal 0) ` +
        `[${run.endpoints}]`,
    );
  } finally {
    await r.stop();
  }
}

async function main(): Promise<void> {
  console.log(`push bench; load average ${loadAverage()}`);
  try {
    await callsSection();
    await rateSection();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`load average at the end: ${loadAverage()}`);
}

await main();
