import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EMULATOR_NOTION_TOKEN,
  startEmulatorMirror,
  type EmulatorMirror,
} from './fixtures/emulator-mirror.js';
import { startServe, waitFor, type StartedServe } from './fixtures/start-serve.js';

/** The value of one sample of `/metrics` text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('serve: /metrics has the gateway counters of its runs', () => {
  let fx: EmulatorMirror;
  let served: StartedServe;

  beforeAll(async () => {
    fx = await startEmulatorMirror();
    served = await startServe({
      configPath: fx.configPath,
      store: fx.store,
      env: { NOTION_TOKEN: EMULATOR_NOTION_TOKEN },
    });
  });
  afterAll(async () => {
    await served?.stop();
    await fx?.close();
  });

  it('counts API calls by endpoint and the 429 the emulator injected, retried', async () => {
    const before = await (await fetch(`${served.url}/metrics`)).text();
    expect(before).toContain('# TYPE notion_sync_api_calls_total counter');
    expect(before).not.toContain('notion_sync_api_calls_total{');

    fx.emulator.faults.add({
      kind: 'error',
      status: 429,
      route: 'dataSources.query',
      times: 1,
      retryAfterSeconds: 0,
    });
    const trigger = await fetch(`${served.url}/api/jobs/mirror:tasks/run`, { method: 'POST' });
    expect(trigger.status).toBe(202);
    const { runId } = (await trigger.json()) as { runId: string };
    const run = await waitFor(async () => {
      const body = (await (await fetch(`${served.url}/api/runs/${runId}`)).json()) as {
        run: { status: string; counts: { created: number } };
      };
      return body.run.status === 'running' ? undefined : body.run;
    }, 'the mirror run to end');
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 3 } });

    const text = await (await fetch(`${served.url}/metrics`)).text();
    const query = 'endpoint="dataSources.query"';
    expect(sample(text, `notion_sync_api_calls_total{${query},outcome="succeeded"}`)).toBeGreaterThan(0);
    expect(sample(text, `notion_sync_api_calls_total{${query},outcome="failed"}`)).toBe(0);
    expect(sample(text, `notion_sync_api_rate_limited_total{${query}}`)).toBe(1);
    expect(sample(text, `notion_sync_api_retries_total{${query}}`)).toBe(1);
    expect(
      sample(text, `notion_sync_api_calls_total{endpoint="databases.retrieve",outcome="succeeded"}`),
    ).toBe(1);
    const attempts = sample(text, `notion_sync_api_attempts_total{${query}}`);
    expect(sample(text, `notion_sync_api_request_duration_seconds_count{${query}}`)).toBe(attempts);
    expect(sample(text, `notion_sync_api_request_duration_seconds_bucket{${query},le="+Inf"}`)).toBe(
      attempts,
    );
    expect(fx.emulator.stats().faultsFired).toBe(1);
    expect(text).not.toContain(EMULATOR_NOTION_TOKEN);
  });
});
