import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, LogLevel } from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { startServe, waitFor, type StartedServe } from './fixtures/start-serve.js';

const NOTION_TOKEN = 'ntn_servemetricstoken000000000000000000000';

/** The value of one sample of `/metrics` text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('serve: /metrics has the gateway counters of its runs', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  let served: StartedServe;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const notion = new Client({ auth: NOTION_TOKEN, baseUrl: emulator.url, logLevel: LogLevel.ERROR });
    const database = await notion.databases.create({
      parent: { type: 'page_id', page_id: emulator.rootPageId as string },
      title: [{ type: 'text', text: { content: 'Tasks' } }],
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    const dataSourceId = (database as unknown as { data_sources: { id: string }[] }).data_sources[0]?.id;
    for (const name of ['one', 'two', 'three']) {
      await notion.pages.create({
        parent: { type: 'data_source_id', data_source_id: dataSourceId as string },
        properties: { Name: { title: [{ type: 'text', text: { content: name } }] } },
      });
    }
    dir = mkdtempSync(path.join(tmpdir(), 'notion-sync-serve-metrics-'));
    const configPath = path.join(dir, 'notion-sync.config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        notion: { baseUrl: emulator.url, requestsPerSecond: 200, burst: 50 },
        mirrors: [{ name: 'tasks', source: database.id, schedule: 'manual', bodies: false }],
      }),
    );
    served = await startServe({
      configPath,
      store: `sqlite:${path.join(dir, 'store.db')}`,
      env: { NOTION_TOKEN },
    });
  });
  afterAll(async () => {
    await served?.stop();
    await emulator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts API calls by endpoint and the 429 the emulator injected, retried', async () => {
    const before = await (await fetch(`${served.url}/metrics`)).text();
    expect(before).toContain('# TYPE notion_sync_api_calls_total counter');
    expect(before).not.toContain('notion_sync_api_calls_total{');

    emulator.faults.add({
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
    expect(emulator.stats().faultsFired).toBe(1);
    expect(text).not.toContain(NOTION_TOKEN);
  });
});
