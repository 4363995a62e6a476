import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';
import { InvalidConfigError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/manual-clock.js';
import {
  buildJobs,
  registeredJobFactories,
  registerJobFactory,
  type JobBuildContext,
  type MirrorJobFactory,
  type SyncJobFactory,
} from '../../src/schedule/build-jobs.js';
import { parseSchedule, type Schedule } from '../../src/schedule/parse-schedule.js';
import { openStore } from '../../src/store/open-store.js';
import { FakeJob } from './fake-job.js';

function schedule(text: string | undefined, fallback: string): Schedule {
  const parsed = parseSchedule(text ?? fallback);
  if (!('schedule' in parsed)) throw new Error(parsed.error);
  return parsed.schedule;
}

async function context(raw: unknown): Promise<JobBuildContext> {
  const clock = new ManualClock(0);
  const store = await openStore(':memory:', { clock });
  const config = resolveConfig(raw, { cwd: '/tmp', env: {} });
  return {
    config,
    store,
    clock,
    logger: silentLogger,
    gateway: () => {
      throw new Error('the gateway was not needed');
    },
  };
}

const mirrorFactory: MirrorJobFactory = (mirror, ctx) =>
  new FakeJob(
    `mirror:${mirror.name ?? mirror.source}`,
    schedule(mirror.schedule, '15m'),
    ctx.store,
    ctx.clock,
  );

const syncFactory: SyncJobFactory = (worker, ctx) =>
  ['issues', 'pulls'].map(
    (key) => new FakeJob(`sync:${key}`, schedule(worker.syncs?.[key]?.schedule, '30m'), ctx.store, ctx.clock),
  );

describe(buildJobs, () => {
  const raw = {
    mirrors: [{ name: 'tasks', source: 'a'.repeat(32), schedule: '5m' }],
    workers: [{ module: './worker.ts', syncs: { pulls: { schedule: 'continuous' } } }],
  };

  it('builds a job per mirror and per sync through the factories, with their schedules', async () => {
    const ctx = await context(raw);
    const { jobs, unscheduled } = await buildJobs(ctx, { mirror: mirrorFactory, sync: syncFactory });
    expect(unscheduled).toEqual([]);
    expect(jobs.map((j) => [j.id, j.schedule])).toEqual([
      ['mirror:tasks', { type: 'interval', intervalMs: 300_000 }],
      ['sync:issues', { type: 'interval', intervalMs: 1_800_000 }],
      ['sync:pulls', { type: 'continuous' }],
    ]);
    await ctx.store.close();
  });

  it('reports the entries no engine can run instead of dropping them silently', async () => {
    const ctx = await context(raw);
    const { jobs, unscheduled } = await buildJobs(ctx, {});
    expect(jobs).toEqual([]);
    expect(unscheduled).toEqual([
      { kind: 'mirror', name: 'tasks', reason: 'no mirror engine' },
      { kind: 'sync', name: '/tmp/worker.ts', reason: 'no workers runtime' },
    ]);
    await ctx.store.close();
  });

  it('refuses two entries that make the same job id', async () => {
    const ctx = await context({
      mirrors: [
        { name: 'tasks', source: 'a'.repeat(32) },
        { name: 'tasks', source: 'b'.repeat(32) },
      ],
    });
    await expect(buildJobs(ctx, { mirror: mirrorFactory })).rejects.toBeInstanceOf(InvalidConfigError);
    await ctx.store.close();
  });

  it('uses the registered factories by default', async () => {
    const unregister = registerJobFactory('mirror', mirrorFactory);
    try {
      const ctx = await context({ mirrors: [{ name: 'docs', source: 'c'.repeat(32) }] });
      const { jobs } = await buildJobs(ctx);
      expect(jobs.map((j) => j.id)).toEqual(['mirror:docs']);
      await ctx.store.close();
    } finally {
      unregister();
    }
    expect(registeredJobFactories().mirror).toBeUndefined();
  });
});
