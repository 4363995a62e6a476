/**
 * What the benchmarks share: the machine's load average (printed with every figure, since the machine may
 * be shared), the calls per endpoint between two gateway metric snapshots, and an emulator in its own
 * process (so that its CPU is not measured as the client's).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { GatewayMetricsSnapshot } from '../src/notion/gateway-metrics.js';

/** The load average now: `0.47 (1 min), 0.61 (5 min)`. */
export function loadAverage(): string {
  const [l1, l5] = loadavg();
  return `${(l1 ?? 0).toFixed(2)} (1 min), ${(l5 ?? 0).toFixed(2)} (5 min)`;
}

/** The calls per endpoint made between two snapshots: `dataSources.query 50, databases.retrieve 1`. */
export function endpointCalls(before: GatewayMetricsSnapshot, after: GatewayMetricsSnapshot): string {
  const parts: string[] = [];
  for (const [name, m] of Object.entries(after.endpoints)) {
    const calls = m.calls - (before.endpoints[name]?.calls ?? 0);
    if (calls > 0) parts.push(`${name} ${calls}`);
  }
  return parts.join(', ');
}

/**
 * Starts `bench/emulator-server.ts` (`rows` rows, `rowsPerMinute` per emulated `created_time` minute when
 * given) in a child process and waits for its `{url, dataSourceId}` line. Stop it with `child.kill()`.
 */
export async function emulatorProcess(
  rows: number,
  rowsPerMinute?: number,
): Promise<{ url: string; dataSourceId: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./emulator-server.ts', import.meta.url));
  const args = rowsPerMinute === undefined ? [String(rows)] : [String(rows), String(rowsPerMinute)];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`emulator-server exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as { url: string; dataSourceId: string }), child };
}

/** One recorded answer. */
interface Recorded {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: string;
}

/**
 * A `fetch` that records every answer (`record`), and one that gives the recorded answers back for the
 * same requests without a server (`replay`): a run replayed measures the client alone, HTTP parsing
 * included, with no server CPU and no network in the figure. Replay throws for a request not recorded.
 */
export function recordedFetch(): { record: typeof fetch; replay: typeof fetch } {
  const answers = new Map<string, Recorded>();
  const key = (input: Parameters<typeof fetch>[0], init?: RequestInit): string =>
    `${init?.method ?? 'GET'} ${input instanceof Request ? input.url : String(input)} ${typeof init?.body === 'string' ? init.body : ''}`;
  const record: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const body = await res.text();
    const recorded: Recorded = { status: res.status, headers: [...res.headers], body };
    answers.set(key(input, init), recorded);
    return new Response(body, { status: recorded.status, headers: recorded.headers });
  };
  const replay: typeof fetch = async (input, init) => {
    const recorded = answers.get(key(input, init));
    if (recorded === undefined) throw new Error(`no recorded answer for ${key(input, init).slice(0, 200)}`);
    return new Response(recorded.body, { status: recorded.status, headers: recorded.headers });
  };
  return { record, replay };
}
