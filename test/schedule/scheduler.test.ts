import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { ManualClock } from '../../src/manual-clock.js';
import { LeaseLostError } from '../../src/schedule/lease-lost-error.js';
import type { Schedule } from '../../src/schedule/parse-schedule.js';
import { createScheduler, type Scheduler, type SchedulerOptions } from '../../src/schedule/scheduler.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { aborted, FakeJob, gate, newRunLog, settle, type FakeBehaviour } from './fake-job.js';

const T0 = Date.UTC(2026, 0, 1, 0, 5, 0);
const MIN = 60_000;
const every5m: Schedule = { type: 'interval', intervalMs: 5 * MIN };

let clock: ManualClock;
let store: Store;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  clock = new ManualClock(T0);
  store = await openStore(':memory:', { clock });
  cleanups.push(() => store.close());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function job(id: string, schedule: Schedule, behaviour?: FakeBehaviour, on: Store = store): FakeJob {
  return new FakeJob(id, schedule, on, clock, behaviour);
}

function scheduler(jobs: FakeJob[], options: Partial<SchedulerOptions> = {}): Scheduler {
  const s = createScheduler({ store, jobs, clock, holder: 'test-holder', ...options });
  cleanups.push(() => s.stop({ graceMs: 0 }));
  s.start();
  return s;
}

/** Moves virtual time to `ms` after T0 and waits until the scheduler has nothing more to do now. */
async function at(s: Scheduler, msAfterT0: number): Promise<void> {
  await clock.advance(T0 + msAfterT0 - clock.now());
  await s.waitForIdle();
}

function statusOf(s: Scheduler, id: string) {
  const found = s.status().find((j) => j.id === id);
  if (found === undefined) throw new Error(`no job ${id}`);
  return found;
}

describe(createScheduler, () => {
  describe('schedules', () => {
    it('runs an interval job at once, then every interval from its last start', async () => {
      const j = job('sync:a', every5m);
      const s = scheduler([j]);
      await s.waitForIdle();
      expect(j.starts).toEqual([T0]);
      await at(s, 5 * MIN - 1);
      expect(j.starts).toHaveLength(1);
      await at(s, 5 * MIN);
      await at(s, 10 * MIN);
      expect(j.starts).toEqual([T0, T0 + 5 * MIN, T0 + 10 * MIN]);
      expect(statusOf(s, 'sync:a')).toMatchObject({
        health: 'HEALTHY',
        nextRunAt: new Date(T0 + 15 * MIN).toISOString(),
        lastRun: { status: 'succeeded' },
      });
    });

    it('runs a continuous job again as soon as it ends, but not sooner than the floor after its start', async () => {
      const j = job('sync:c', { type: 'continuous' }, async (ctx, attempt) => {
        // First runs are quick (1 s); the third takes 20 s, longer than the floor.
        await clock.sleep(attempt === 3 ? 20_000 : 1_000, ctx.signal);
        return { status: 'succeeded' };
      });
      scheduler([j], { continuousFloorMs: 5_000 });
      // Step through each wake-up (the runs sleep on the clock, so the scheduler is not idle in between).
      for (const t of [0, 1_000, 5_000, 6_000, 10_000, 30_000, 31_000, 35_000]) {
        await clock.advance(T0 + t - clock.now());
        await settle(10);
      }
      expect(j.starts.map((t) => t - T0)).toEqual([0, 5_000, 10_000, 30_000, 35_000]);
    });

    it('never runs a manual job on its own; a trigger runs it', async () => {
      const j = job('sync:m', { type: 'manual' });
      const s = scheduler([j]);
      await at(s, 3 * 60 * MIN);
      expect(j.starts).toEqual([]);
      expect(statusOf(s, 'sync:m')).toMatchObject({ nextRunAt: null, health: 'INITIALIZING' });
      const result = await s.trigger('sync:m', 'api');
      expect(result).toMatchObject({ started: true });
      await s.waitForIdle();
      expect(j.starts).toHaveLength(1);
      expect(j.contexts[0]?.trigger).toBe('api');
      await at(s, 6 * 60 * MIN);
      expect(j.starts).toHaveLength(1);
    });

    it('runs a cron job at its next occurrences, not at start-up', async () => {
      const j = job('sync:cron', { type: 'cron', expression: '*/15 * * * *' });
      const s = scheduler([j]);
      await s.waitForIdle();
      expect(j.starts).toEqual([]);
      // T0 is 00:05; the next quarter hours are 00:15 and 00:30.
      expect(statusOf(s, 'sync:cron').nextRunAt).toBe(new Date(T0 + 10 * MIN).toISOString());
      await at(s, 10 * MIN);
      await at(s, 24 * MIN);
      expect(j.starts.map((t) => (t - T0) / MIN)).toEqual([10]);
      await at(s, 25 * MIN);
      expect(j.starts.map((t) => (t - T0) / MIN)).toEqual([10, 25]);
    });

    it('runs a run missed while down once at start-up, then keeps the rhythm', async () => {
      const first = job('sync:a', every5m);
      const s1 = scheduler([first]);
      await s1.waitForIdle();
      await s1.stop();
      // Down for an hour: twelve runs were missed.
      clock.set(T0 + 60 * MIN);
      const second = job('sync:a', every5m);
      const s2 = scheduler([second]);
      await s2.waitForIdle();
      expect(second.starts).toEqual([T0 + 60 * MIN]);
      await at(s2, 64 * MIN);
      expect(second.starts).toHaveLength(1);
      await at(s2, 65 * MIN);
      expect(second.starts).toEqual([T0 + 60 * MIN, T0 + 65 * MIN]);
    });

    it('keeps the persisted rhythm across a restart before the next run is due', async () => {
      const first = job('sync:a', every5m);
      const s1 = scheduler([first]);
      await s1.waitForIdle();
      await at(s1, 2 * MIN);
      await s1.stop();
      const second = job('sync:a', every5m);
      const s2 = scheduler([second]);
      await at(s2, 4 * MIN);
      expect(second.starts).toEqual([]);
      await at(s2, 5 * MIN);
      expect(second.starts).toEqual([T0 + 5 * MIN]);
    });

    it('starts at most maxConcurrentJobs at once and the next one when a slot frees', async () => {
      const gates = [gate(), gate(), gate()];
      const jobs = gates.map((g, i) =>
        job(`sync:${i}`, every5m, async () => {
          await g.promise;
          return { status: 'succeeded' };
        }),
      );
      const s = scheduler(jobs, { maxConcurrentJobs: 2 });
      await settle(20);
      expect(jobs.map((j) => j.starts.length)).toEqual([1, 1, 0]);
      gates[0]?.open();
      await settle(20);
      expect(jobs.map((j) => j.starts.length)).toEqual([1, 1, 1]);
      gates[1]?.open();
      gates[2]?.open();
      await s.waitForIdle();
    });

    it('never runs two jobs of one exclusive group at once, and runs each in turn', async () => {
      const log = newRunLog();
      const jobs = ['sync:a', 'sync:b'].map((id) => {
        const j = new FakeJob(
          id,
          every5m,
          store,
          clock,
          async (ctx) => {
            await clock.sleep(1_000, ctx.signal);
            return { status: 'succeeded' };
          },
          log,
        );
        j.exclusiveGroup = 'module:github';
        return j;
      });
      const s = scheduler(jobs, { maxConcurrentJobs: 2 });
      await settle(20);
      expect(log.running).toBe(1);
      expect(
        await s.trigger(log.running === 1 && jobs[0]?.contexts.length === 1 ? 'sync:b' : 'sync:a'),
      ).toEqual({
        started: false,
        reason: 'busy',
      });
      await clock.advance(1_000);
      await settle(20);
      await clock.advance(1_000);
      await s.waitForIdle();
      expect(log.maxRunning).toBe(1);
      expect(log.starts).toEqual([T0, T0 + 1_000]);
    });
  });

  describe('trigger', () => {
    it('answers at once with the run id, refuses a second run while it runs, and the outcome follows', async () => {
      const hold = gate();
      const j = job('sync:t', { type: 'manual' }, async () => {
        await hold.promise;
        return { status: 'succeeded' };
      });
      const s = scheduler([j]);
      const first = await s.trigger('sync:t');
      if (!first.started) throw new Error('not started');
      expect(first.runId).toMatch(/^[0-9a-f-]{36}$/);
      expect(j.log.running).toBe(1);
      expect((await store.runs.get(first.runId ?? ''))?.status).toBe('running');
      expect(statusOf(s, 'sync:t').running).toMatchObject({
        where: 'here',
        runId: first.runId,
        trigger: 'manual',
      });
      expect(await s.trigger('sync:t')).toEqual({ started: false, reason: 'already_running' });
      hold.open();
      await expect(first.outcome).resolves.toMatchObject({ runId: first.runId, status: 'succeeded' });
      expect((await store.runs.get(first.runId ?? ''))?.status).toBe('succeeded');
      expect(j.log.maxRunning).toBe(1);
    });

    it('refuses unknown jobs, and two triggers in the same tick start one run', async () => {
      const j = job('sync:t', { type: 'manual' });
      const s = scheduler([j]);
      expect(await s.trigger('sync:nope')).toEqual({ started: false, reason: 'unknown_job' });
      const [a, b] = await Promise.all([s.trigger('sync:t'), s.trigger('sync:t')]);
      expect([a.started, b.started]).toEqual([true, false]);
      await s.waitForIdle();
      expect(j.starts).toHaveLength(1);
    });
  });

  describe('leases', () => {
    it('lets exactly one of two schedulers on two stores of the same SQLite file run a job', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'scheduler-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const url = `sqlite:${path.join(dir, 'store.db')}`;
      const storeA = await openStore(url, { clock });
      const storeB = await openStore(url, { clock });
      cleanups.push(
        () => storeA.close(),
        () => storeB.close(),
      );
      const log = newRunLog();
      const hold = gate();
      const behaviour: FakeBehaviour = async () => {
        await hold.promise;
        return { status: 'succeeded' };
      };
      const jobA = new FakeJob('sync:shared', every5m, storeA, clock, behaviour, log);
      const jobB = new FakeJob('sync:shared', every5m, storeB, clock, behaviour, log);
      const a = createScheduler({ store: storeA, jobs: [jobA], clock, holder: 'A' });
      const b = createScheduler({ store: storeB, jobs: [jobB], clock, holder: 'B' });
      cleanups.push(
        () => a.stop({ graceMs: 0 }),
        () => b.stop({ graceMs: 0 }),
      );
      a.start();
      b.start();
      await settle(30);
      expect(log.starts).toHaveLength(1);
      expect(log.maxRunning).toBe(1);
      const loser = jobA.contexts.length === 1 ? b : a;
      const winnerHolder = loser === a ? 'B' : 'A';
      expect(statusOf(loser, 'sync:shared').running).toMatchObject({
        where: 'elsewhere',
        holder: winnerHolder,
      });
      expect(await loser.trigger('sync:shared')).toEqual({ started: false, reason: 'already_running' });
      hold.open();
      await a.waitForIdle();
      await b.waitForIdle();
      // The loser retries when the lease is free, re-reads the winner's next run time, and waits for it.
      await clock.advance(2 * MIN);
      await a.waitForIdle();
      await b.waitForIdle();
      expect(log.starts).toHaveLength(1);
      await clock.advance(3 * MIN);
      await settle(30);
      await a.waitForIdle();
      await b.waitForIdle();
      expect(log.starts).toEqual([T0, T0 + 5 * MIN]);
    });

    it('renews the lease while a job runs past its ttl', async () => {
      const j = job('sync:long', { type: 'manual' }, async (ctx) => {
        for (let i = 0; i < 10; i++) await clock.sleep(30_000, ctx.signal);
        return { status: 'succeeded' };
      });
      const s = scheduler([j], { leaseTtlMs: 60_000 });
      const result = await s.trigger('sync:long');
      for (let i = 0; i < 30; i++) await clock.advance(10_000);
      if (!result.started) throw new Error('not started');
      await expect(result.outcome).resolves.toMatchObject({ status: 'succeeded' });
      expect(j.contexts[0]?.signal.aborted).toBe(false);
    });

    it('aborts the run when its lease is lost', async () => {
      const j = job('sync:lost', { type: 'manual' }, async (ctx) => {
        await aborted(ctx.signal);
        return { status: 'cancelled' };
      });
      const s = scheduler([j], { leaseTtlMs: 60_000, holder: 'A' });
      const result = await s.trigger('sync:lost');
      if (!result.started) throw new Error('not started');
      // Another process takes the lease (as if ours had expired while we were starved).
      await store.leases.release('sync:lost', 'A');
      expect((await store.leases.acquire('sync:lost', 'B', 60_000)).acquired).toBe(true);
      await clock.advance(20_000);
      await expect(result.outcome).resolves.toMatchObject({ status: 'cancelled' });
      expect(j.contexts[0]?.signal.reason).toBeInstanceOf(LeaseLostError);
      // The lease stays with its new holder.
      expect((await store.leases.get('sync:lost'))?.holder).toBe('B');
    });

    it('fails runs a crashed holder left running when it takes the lease over', async () => {
      const crashed = await store.runs.start({ kind: 'sync', target: 'sync:a', trigger: 'schedule' });
      await store.leases.acquire('sync:a', 'crashed-holder', 60_000);
      const j = job('sync:a', every5m);
      const s = scheduler([j]);
      await s.waitForIdle();
      expect(j.starts).toEqual([]);
      expect(statusOf(s, 'sync:a').running).toMatchObject({ where: 'elsewhere', holder: 'crashed-holder' });
      await at(s, 60_000);
      expect(j.starts).toEqual([T0 + 60_000]);
      const run = await store.runs.get(crashed.id);
      expect(run).toMatchObject({ status: 'failed', error: { code: 'abandoned' } });
      expect((await store.runs.list({ target: 'sync:a', status: 'succeeded' })).length).toBe(1);
    });

    it('waits, without failing a run, while a run of the job outside the scheduler holds its leases', async () => {
      // `notion-sync sync trigger b` on another host: its run holds the sync's push lease, not the job's.
      const outside = await store.runs.start({ kind: 'sync', target: 'sync:b', trigger: 'cli' });
      const holder = `build-2:4242:run:${outside.id}`;
      await store.leases.acquire('push:b', holder, 10 * MIN); // a run's lease: 10 minutes, renewed
      const j = job('sync:b', every5m);
      const s = scheduler([j]);
      await s.waitForIdle();
      expect(j.starts).toEqual([]);
      expect(statusOf(s, 'sync:b')).toMatchObject({
        running: { where: 'elsewhere', holder },
        consecutiveFailures: 0,
        lastRun: null,
      });
      await at(s, 30_000); // looked again: still held
      expect(j.starts).toEqual([]);
      await store.leases.release('push:b', holder); // that run ended, long before its lease would expire
      await at(s, 60_000); // the next look finds it free
      expect(j.starts).toEqual([T0 + 60_000]);
      expect(statusOf(s, 'sync:b')).toMatchObject({
        consecutiveFailures: 0,
        lastRun: { status: 'succeeded' },
      });
    });
  });

  describe('failures', () => {
    it('backs off exponentially after failed runs, and health goes WARNING then ERROR then HEALTHY', async () => {
      let fail = true;
      const j = job('sync:f', { type: 'interval', intervalMs: 60 * MIN }, () =>
        fail ? { status: 'failed', error: { code: 'notion_api', message: 'boom' } } : { status: 'succeeded' },
      );
      const s = scheduler([j]);
      expect(statusOf(s, 'sync:f').health).toBe('INITIALIZING');
      await s.waitForIdle();
      expect(statusOf(s, 'sync:f')).toMatchObject({
        health: 'WARNING',
        consecutiveFailures: 1,
        lastRun: { status: 'failed', error: { code: 'notion_api', message: 'boom' } },
        nextRunAt: new Date(T0 + MIN).toISOString(),
      });
      await at(s, MIN);
      expect(statusOf(s, 'sync:f')).toMatchObject({ health: 'WARNING', consecutiveFailures: 2 });
      expect(statusOf(s, 'sync:f').nextRunAt).toBe(new Date(T0 + 3 * MIN).toISOString());
      await at(s, 3 * MIN);
      expect(statusOf(s, 'sync:f')).toMatchObject({ health: 'ERROR', consecutiveFailures: 3 });
      expect(statusOf(s, 'sync:f').nextRunAt).toBe(new Date(T0 + 7 * MIN).toISOString());
      fail = false;
      await at(s, 7 * MIN);
      expect(statusOf(s, 'sync:f')).toMatchObject({ health: 'HEALTHY', consecutiveFailures: 0 });
      expect(statusOf(s, 'sync:f').nextRunAt).toBe(new Date(T0 + 67 * MIN).toISOString());
      expect(j.starts.map((t) => (t - T0) / MIN)).toEqual([0, 1, 3, 7]);
    });

    it('waits at least retryAfterMs before the next run', async () => {
      const j = job('sync:r', { type: 'continuous' }, (_ctx, attempt) =>
        attempt === 1
          ? {
              status: 'failed',
              error: { code: 'rate_limited', message: 'slow down' },
              retryAfterMs: 10 * MIN,
            }
          : { status: 'succeeded', retryAfterMs: 2 * MIN },
      );
      const s = scheduler([j]);
      await s.waitForIdle();
      expect(statusOf(s, 'sync:r').nextRunAt).toBe(new Date(T0 + 10 * MIN).toISOString());
      await at(s, 10 * MIN - 1);
      expect(j.starts).toHaveLength(1);
      await at(s, 10 * MIN);
      // A succeeded continuous run would go again after the 5 s floor; the source asked for 2 minutes.
      expect(statusOf(s, 'sync:r').nextRunAt).toBe(new Date(T0 + 12 * MIN).toISOString());
    });

    it('counts a job that throws as a failed run, records it, and keeps the loop going', async () => {
      const thrower = job('sync:throws', every5m, () => {
        throw new Error('kaboom');
      });
      const healthy = job('sync:ok', every5m);
      const s = scheduler([thrower, healthy]);
      await s.waitForIdle();
      await at(s, MIN);
      await at(s, 5 * MIN);
      expect(healthy.starts).toEqual([T0, T0 + 5 * MIN]);
      // Retried after 1 then 2 minutes of backoff.
      expect(thrower.starts).toEqual([T0, T0 + MIN, T0 + 3 * MIN]);
      expect(statusOf(s, 'sync:throws')).toMatchObject({
        health: 'ERROR',
        consecutiveFailures: 3,
        lastRun: { status: 'failed', error: { code: 'internal_error', message: 'kaboom' } },
      });
      // The runs it started and never finished are recorded as failed.
      const runs = await store.runs.list({ target: 'sync:throws' });
      expect(runs.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
      expect(runs[0]?.error).toMatchObject({ message: 'kaboom' });
    });

    it.each(['acquire', 'listActive'] as const)(
      'survives a store failure in leases.%s before a start, and retries later rather than at once',
      async (failing) => {
        let failures = 1;
        const leases = store.leases;
        const flaky = new Proxy(store, {
          get(target, property) {
            if (property === 'leases') {
              return new Proxy(leases, {
                get(repository, method) {
                  const real = Reflect.get(repository, method) as (...a: unknown[]) => unknown;
                  return (...args: unknown[]) =>
                    method === failing && failures-- > 0
                      ? Promise.reject(new Error('database is locked'))
                      : real.apply(repository, args);
                },
              });
            }
            const value: unknown = Reflect.get(target, property);
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          },
        });
        const logs: string[] = [];
        const j = job('sync:a', every5m);
        const s = scheduler([j], {
          store: flaky,
          leaseTtlMs: 60_000,
          logger: (_level, message) => logs.push(message),
        });
        await s.waitForIdle();
        expect(j.starts).toEqual([]);
        expect(logs).toContain('job launch failed');
        await at(s, 19_999);
        expect(j.starts).toEqual([]);
        await at(s, 20_000);
        expect(j.starts).toEqual([T0 + 20_000]);
      },
    );
  });

  describe('setDisabled', () => {
    it('pauses a job (persisted across restarts) and resumes it', async () => {
      const j = job('sync:d', every5m);
      const s1 = scheduler([j]);
      await s1.waitForIdle();
      expect(await s1.setDisabled('sync:d', true)).toBe(true);
      expect(await s1.setDisabled('sync:nope', true)).toBe(false);
      expect(statusOf(s1, 'sync:d')).toMatchObject({ health: 'DISABLED', disabled: true });
      expect(await s1.trigger('sync:d')).toEqual({ started: false, reason: 'disabled' });
      await at(s1, 20 * MIN);
      expect(j.starts).toHaveLength(1);
      await s1.stop();

      const again = job('sync:d', every5m);
      const s2 = scheduler([again]);
      await s2.waitForIdle();
      expect(statusOf(s2, 'sync:d')).toMatchObject({ health: 'DISABLED', disabled: true });
      expect(again.starts).toEqual([]);
      await s2.setDisabled('sync:d', false);
      await s2.waitForIdle();
      // The run that came due while paused runs once, at once.
      expect(again.starts).toEqual([T0 + 20 * MIN]);
      expect(statusOf(s2, 'sync:d').health).toBe('HEALTHY');
    });

    it('honours a pause made by another process at the next due time', async () => {
      const j = job('sync:d', every5m);
      const s = scheduler([j]);
      await s.waitForIdle();
      // Another process (the CLI, the HTTP API of another daemon) pauses the job in the shared store.
      const other = createScheduler({ store, jobs: [job('sync:d', every5m)], clock, holder: 'other' });
      await other.setDisabled('sync:d', true);
      await at(s, 5 * MIN);
      expect(j.starts).toEqual([T0]);
      expect(statusOf(s, 'sync:d').health).toBe('DISABLED');
    });
  });

  describe('stop', () => {
    it('lets the batch in flight finish and commit, then releases the lease', async () => {
      const committed: number[] = [];
      const j = job('sync:batches', { type: 'manual' }, async (ctx) => {
        for (let batch = 1; batch <= 5; batch++) {
          // A batch is not interrupted: the signal is checked between batches.
          await clock.sleep(1_000);
          committed.push(batch);
          await store.syncState.save('fake-cursor', { state: { batch } });
          if (ctx.signal.aborted) return { status: 'cancelled' };
        }
        return { status: 'succeeded' };
      });
      const s = scheduler([j]);
      const result = await s.trigger('sync:batches');
      if (!result.started) throw new Error('not started');
      await clock.advance(2_500);
      expect(committed).toEqual([1, 2]);
      const stopping = s.stop({ graceMs: 10_000 });
      await settle();
      expect(j.contexts[0]?.signal.reason).toBeInstanceOf(CancelledError);
      await clock.advance(1_000);
      await stopping;
      expect(committed).toEqual([1, 2, 3]);
      expect((await store.syncState.get('fake-cursor'))?.state).toEqual({ batch: 3 });
      await expect(result.outcome).resolves.toMatchObject({ status: 'cancelled' });
      expect((await store.runs.get(result.runId ?? ''))?.status).toBe('cancelled');
      expect((await store.leases.acquire('sync:batches', 'next-holder', 60_000)).acquired).toBe(true);
      expect(await s.trigger('sync:batches')).toEqual({ started: false, reason: 'stopping' });
    });

    it('gives up waiting after graceMs and releases the lease of a run that does not stop', async () => {
      const j = job('sync:stuck', { type: 'manual' }, () => new Promise(() => {}));
      const s = scheduler([j]);
      await s.trigger('sync:stuck');
      const stopping = s.stop({ graceMs: 5_000 });
      await clock.advance(5_000);
      await stopping;
      expect((await store.leases.acquire('sync:stuck', 'next-holder', 60_000)).acquired).toBe(true);
    });
  });
});
