/**
 * Gateway rate benchmark: how close does the gateway get to a rate limit without ever being throttled?
 *
 * Starts the emulator with a per-token limit of RATE req/s and LATENCY ms per call, then drives
 * `users.me` through one gateway (requestsPerSecond = RATE) from enough concurrent workers to keep the
 * line full, for DURATION seconds. Prints ratios measured in this run, never absolute times:
 * - throughput / limit (target ≥ 0.95),
 * - 429 answers (target 0),
 * and the same for the raw SDK client (its default retry, no pacing) as the baseline.
 *
 * Run: `npx tsx bench/gateway-rate.bench.ts` (env: RATE=50 LATENCY=200 DURATION=10).
 */
import { Client, LogLevel } from '@notionhq/client';
import { createGateway } from '../src/notion/create-gateway.js';

interface EmulatorHandle {
  readonly url: string;
  stop(): Promise<void>;
  stats(): { requests: number; rateLimited: number };
}
type StartEmulator = (options: {
  port: number;
  rateLimit: { requestsPerSecond: number; burst?: number };
  latencyMs: number;
}) => Promise<EmulatorHandle>;

const RATE = Number(process.env['RATE'] ?? 50);
const LATENCY_MS = Number(process.env['LATENCY'] ?? 200);
const DURATION_S = Number(process.env['DURATION'] ?? 10);
/** Workers needed to keep RATE requests per second in flight at LATENCY_MS each, with headroom. */
const WORKERS = Math.ceil(((RATE * LATENCY_MS) / 1_000) * 2) + 2;

interface RunResult {
  readonly completed: number;
  readonly failed: number;
  readonly rateLimited: number;
  readonly seconds: number;
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
  return { completed, failed, rateLimited: after.rateLimited - before.rateLimited, seconds };
}

async function main(): Promise<void> {
  // Resolved at run time: the emulator lands in src/emulator/ (built in parallel).
  const emulatorModule = '../src/emulator/index.js';
  const { startEmulator } = (await import(emulatorModule)) as { startEmulator: StartEmulator };
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
      'throughput / limit': Number((r.completed / r.seconds / RATE).toFixed(3)),
      '429 answers': r.rateLimited,
      'failed calls': r.failed,
    });
    console.log(`limit ${String(RATE)} req/s, latency ${String(LATENCY_MS)} ms, ${String(WORKERS)} workers`);
    console.table([row('notion-sync gateway', paced), row('raw @notionhq/client', baseline)]);
    const metrics = gateway.metrics.snapshot().total;
    console.log(
      `gateway: ${String(metrics.calls)} calls, ${String(metrics.attempts)} attempts, p50 ${String(metrics.latencyP50Ms)} ms, p95 ${String(metrics.latencyP95Ms)} ms`,
    );
    const ratio = paced.completed / paced.seconds / RATE;
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
