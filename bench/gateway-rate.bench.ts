/**
 * Gateway rate benchmark: how close does the gateway get to a rate limit without ever being throttled?
 *
 * Starts the emulator with a per-token limit of RATE req/s and LATENCY ms per call, then drives
 * `users.me` through one gateway (requestsPerSecond = RATE) from enough concurrent workers to keep the
 * line full, for DURATION seconds. Prints ratios measured in this run, never absolute times:
 * - accepted rate / limit (target ≥ 0.95): requests the emulator accepted within the window, per second,
 *   over the limit; beside it the client-side completions per second, whose elapsed time also counts
 *   the drained tail (the last answers, ≈ one latency, when no call starts any more),
 * - 429 answers (target 0),
 * and the same for the raw SDK client (its default retry, no pacing) as the baseline.
 *
 * Run: `npx tsx bench/gateway-rate.bench.ts` (env: RATE=50 LATENCY=200 DURATION=20).
 */
import { Client, LogLevel } from '@notionhq/client';
import { loadavg } from 'node:os';
import { startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import { createGateway } from '../src/notion/create-gateway.js';

const RATE = Number(process.env['RATE'] ?? 50);
const LATENCY_MS = Number(process.env['LATENCY'] ?? 200);
const DURATION_S = Number(process.env['DURATION'] ?? 20);
/**
 * Workers that keep RATE requests per second in flight at LATENCY_MS each, with 4× headroom: on a loaded
 * machine the observed latency reaches 2× the emulator's (p95 ≈ 500 ms at load 15 on 2 cores), and a
 * worker waiting in the pacer costs nothing.
 */
const WORKERS = Math.ceil(((RATE * LATENCY_MS) / 1_000) * 4) + 2;

interface RunResult {
  /** Calls that succeeded, counted by the client until every worker finished. */
  readonly completed: number;
  readonly failed: number;
  /** 429 answers the emulator sent during the run (tail included). */
  readonly rateLimited: number;
  /** Client-side seconds, from the first call to the last answer (the tail included). */
  readonly seconds: number;
  /**
   * Requests the emulator accepted (arrived and not rate limited) within the DURATION window itself, per
   * second: the rate the limit applies to, without the pipeline's empty start and drained tail.
   */
  readonly acceptedPerSecond: number;
}

/** Seconds of traffic before measuring (JIT, first connections). */
const WARM_UP_S = 2;

async function drive(
  call: () => Promise<unknown>,
  emulator: EmulatorHandle,
  durationS = DURATION_S,
): Promise<RunResult> {
  const before = emulator.stats();
  const started = performance.now();
  const stopAt = started + durationS * 1_000;
  const atStop = new Promise<{ requests: number; rateLimited: number; at: number }>((resolve) =>
    setTimeout(() => resolve({ ...emulator.stats(), at: performance.now() }), durationS * 1_000),
  );
  let completed = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      try {
        await call();
        completed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, () => worker()));
  const seconds = (performance.now() - started) / 1_000;
  const after = emulator.stats();
  const stop = await atStop;
  const accepted = stop.requests - before.requests - (stop.rateLimited - before.rateLimited);
  return {
    completed,
    failed,
    rateLimited: after.rateLimited - before.rateLimited,
    seconds,
    acceptedPerSecond: accepted / ((stop.at - started) / 1_000),
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: 0,
    rateLimit: { requestsPerSecond: RATE, burst: RATE },
    latencyMs: LATENCY_MS,
  });
  try {
    const gateway = createGateway({
      token: 'ntn_benchmarktoken0000000000000000000',
      baseUrl: emulator.url,
      requestsPerSecond: RATE,
      ...(process.env['BURST'] === undefined ? {} : { burst: Number(process.env['BURST']) }),
    });
    await drive(() => gateway.client.users.me({}), emulator, WARM_UP_S);
    gateway.metrics.reset();
    const paced = await drive(() => gateway.client.users.me({}), emulator);

    const raw = new Client({
      auth: 'ntn_benchmarktoken1111111111111111111',
      baseUrl: emulator.url,
      logLevel: LogLevel.ERROR,
    });
    await drive(() => raw.users.me({}), emulator, WARM_UP_S);
    const baseline = await drive(() => raw.users.me({}), emulator);

    const row = (name: string, r: RunResult): Record<string, string | number> => ({
      client: name,
      'accepted rate / limit': Number((r.acceptedPerSecond / RATE).toFixed(3)),
      'completed / s / limit (with tail)': Number((r.completed / r.seconds / RATE).toFixed(3)),
      '429 answers': r.rateLimited,
      'failed calls': r.failed,
    });
    console.log(
      `limit ${String(RATE)} req/s, latency ${String(LATENCY_MS)} ms, ${String(WORKERS)} workers, ${String(DURATION_S)} s each; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.table([row('notion-sync gateway', paced), row('raw @notionhq/client', baseline)]);
    const metrics = gateway.metrics.snapshot().total;
    console.log(
      `gateway: ${String(metrics.calls)} calls, ${String(metrics.attempts)} attempts, p50 ${String(metrics.latencyP50Ms)} ms, p95 ${String(metrics.latencyP95Ms)} ms`,
    );
    const ratio = paced.acceptedPerSecond / RATE;
    if (ratio < 0.95 || paced.rateLimited > 0) {
      console.error(
        `gateway missed its target: ratio ${ratio.toFixed(3)} (≥ 0.95), 429s ${String(paced.rateLimited)} (0)`,
      );
      process.exitCode = 1;
    }
  } finally {
    await emulator.stop();
  }
}

await main();
