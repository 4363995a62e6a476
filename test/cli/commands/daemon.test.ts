import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemon, displayStoreUrl } from '../../../src/cli/commands/daemon.js';
import type { LogLevel } from '../../../src/logger.js';
import { ManualClock } from '../../../src/manual-clock.js';
import type { MirrorJobFactory } from '../../../src/schedule/build-jobs.js';
import { openStore } from '../../../src/store/open-store.js';
import { FakeJob, settle } from '../../schedule/fake-job.js';

let dir: string;
const clock = new ManualClock(Date.UTC(2026, 0, 1));

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'daemon-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(config: unknown): Promise<void> {
  await writeFile(path.join(dir, 'notion-sync.config.json'), JSON.stringify(config));
}

/** Polls in real time (config and store files are real I/O), up to 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe(daemon, () => {
  it('prints the store and each job with its schedule, runs them, and stops gracefully after the batch in flight', async () => {
    await writeConfig({
      store: './state.db',
      mirrors: [{ name: 'tasks', source: 'a'.repeat(32), schedule: '5m' }],
    });
    const jobs: FakeJob[] = [];
    const committed: number[] = [];
    const mirror: MirrorJobFactory = (m, ctx) => {
      const job = new FakeJob(
        `mirror:${m.name}`,
        { type: 'interval', intervalMs: 300_000 },
        ctx.store,
        ctx.clock,
        async (run) => {
          for (let batch = 1; batch <= 3; batch++) {
            await ctx.clock.sleep(1_000);
            committed.push(batch);
            if (run.signal.aborted) return { status: 'cancelled' };
          }
          return { status: 'succeeded' };
        },
      );
      jobs.push(job);
      return job;
    };
    const lines: string[] = [];
    const logs: [LogLevel, string][] = [];
    const stop = new AbortController();
    const running = daemon({
      cwd: dir,
      env: {},
      clock,
      factories: { mirror },
      logger: (level, message) => logs.push([level, message]),
      print: (line) => lines.push(line),
      signal: stop.signal,
    });
    await until(() => jobs[0]?.starts.length === 1);
    expect(lines).toEqual([
      `notion-sync daemon: store sqlite:${path.join(dir, 'state.db')}`,
      '  mirror:tasks  every 5m',
    ]);
    await clock.advance(1_000);
    stop.abort();
    await settle();
    await clock.advance(1_000);
    await running;
    // The batch in flight when the stop came (the second) finished; the third never started.
    expect(committed).toEqual([1, 2]);
    expect(lines.at(-1)).toBe('notion-sync daemon: stopped');
    expect(logs.map(([, message]) => message)).toEqual(
      expect.arrayContaining([
        'daemon started',
        'job started',
        'daemon stopping',
        'job finished',
        'scheduler stopped',
      ]),
    );
    const store = await openStore(`sqlite:${path.join(dir, 'state.db')}`, { clock });
    const runs = await store.runs.list({ target: 'mirror:tasks' });
    expect(runs.map((r) => r.status)).toEqual(['cancelled']);
    expect((await store.leases.listActive()).length).toBe(0);
    await store.close();
  });

  it('stops on SIGTERM', async () => {
    await writeConfig({ store: './state.db', mirrors: [{ name: 'tasks', source: 'a'.repeat(32) }] });
    const mirror: MirrorJobFactory = (m, ctx) =>
      new FakeJob(`mirror:${m.name}`, { type: 'manual' }, ctx.store, ctx.clock);
    const lines: string[] = [];
    const running = daemon({
      cwd: dir,
      env: {},
      clock,
      factories: { mirror },
      logger: () => {},
      print: (l) => lines.push(l),
    });
    await until(() => lines.length > 0);
    await settle();
    process.emit('SIGTERM');
    await running;
    expect(lines.at(-1)).toBe('notion-sync daemon: stopped');
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('says what it cannot run and returns when there is nothing to schedule (JSON)', async () => {
    await writeConfig({ store: './state.db', mirrors: [{ name: 'tasks', source: 'a'.repeat(32) }] });
    const lines: string[] = [];
    await daemon({
      cwd: dir,
      env: {},
      clock,
      factories: {},
      json: true,
      logger: () => {},
      print: (l) => lines.push(l),
    });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        event: 'daemon_started',
        store: `sqlite:${path.join(dir, 'state.db')}`,
        jobs: [],
        unscheduled: [{ kind: 'mirror', name: 'tasks', reason: 'no mirror engine' }],
      },
    ]);
  });
});

describe(displayStoreUrl, () => {
  it('masks a postgres password and leaves paths alone', () => {
    expect(displayStoreUrl('postgres://sync:s3cret@db:5432/notion')).toBe(
      'postgres://sync:***@db:5432/notion',
    );
    expect(displayStoreUrl('sqlite:/var/lib/notion-sync.db')).toBe('sqlite:/var/lib/notion-sync.db');
  });
});
