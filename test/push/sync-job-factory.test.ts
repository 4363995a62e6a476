import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logger.js';
import { syncJobFactory } from '../../src/push/sync-job-factory.js';
import { systemClock } from '../../src/system-clock.js';
import { startPushHarness, type PushHarness } from './push-harness.js';

const notesWorker = fileURLToPath(new URL('../cli/commands/fixtures/notes-worker.ts', import.meta.url));

let h: PushHarness;
beforeEach(async () => {
  h = await startPushHarness();
});
afterEach(async () => {
  await h.close();
});

describe(syncJobFactory, () => {
  it('builds one job per enabled sync, with schedule overrides, each running one cycle', async () => {
    const config = resolveConfig(
      {
        workers: [
          {
            module: notesWorker,
            parentPage: h.parentPageId,
            syncs: { notesSync: { schedule: '15m' }, shelfSync: { disabled: true } },
          },
        ],
      },
      { cwd: process.cwd(), env: {} },
    );
    const jobs = await syncJobFactory(config.workers[0] as (typeof config.workers)[number], {
      config,
      store: h.store,
      gateway: () => h.gateway,
      clock: systemClock,
      logger: silentLogger,
    });
    expect(jobs.map((j) => [j.id, j.schedule])).toEqual([
      ['sync:notesSync', { type: 'interval', intervalMs: 900_000 }],
    ]);
    let started = '';
    const outcome = await jobs[0]?.run({
      trigger: 'schedule',
      signal: new AbortController().signal,
      onRunStarted: (id) => (started = id),
    });
    expect(outcome).toMatchObject({ status: 'succeeded', runId: started });
    expect((await h.rows('notes', 'Slug')).size).toBe(3);
  });
});
