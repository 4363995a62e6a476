import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findJobLeases, releaseGoneLeases } from '../../src/schedule/job-leases.js';
import { runLeaseHolder } from '../../src/schedule/lease-holder.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

const HERE = { host: 'build-1', pid: 100, isAlive: (pid: number) => pid === 200 };
const JOB = { id: 'sync:tickets', kind: 'sync', runTarget: 'tickets' } as const;

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

describe(findJobLeases, () => {
  it("finds the scheduler's lease of the job and the leases its runs hold, not other jobs' leases", async () => {
    const mine = await store.runs.start({ kind: 'sync', target: 'tickets', trigger: 'schedule' });
    const other = await store.runs.start({ kind: 'sync', target: 'issues', trigger: 'schedule' });
    await store.leases.acquire('sync:tickets', 'build-1:300:ab12cd34', 60_000);
    await store.leases.acquire(
      'push:tickets',
      runLeaseHolder(mine.id, { host: 'build-1', pid: 200 }),
      600_000,
    );
    await store.leases.acquire(
      'push:issues',
      runLeaseHolder(other.id, { host: 'build-1', pid: 300 }),
      600_000,
    );
    await store.leases.acquire('sync:issues', 'build-2:300:ab12cd34', 60_000);
    const held = await findJobLeases(store, JOB, { identity: HERE });
    expect(held.map((l) => [l.name, l.holderState, l.runId])).toEqual([
      ['sync:tickets', 'gone', null],
      ['push:tickets', 'alive', mine.id],
    ]);
  });
});

describe(releaseGoneLeases, () => {
  it("releases only a gone holder's leases, fails its running run, and keeps the rest with a hint", async () => {
    const dead = await store.runs.start({ kind: 'sync', target: 'tickets', trigger: 'schedule' });
    await store.leases.acquire(
      'push:tickets',
      runLeaseHolder(dead.id, { host: 'build-1', pid: 300 }),
      600_000,
    );
    await store.leases.acquire('sync:tickets', 'build-2:300:ab12cd34', 60_000);
    const held = await findJobLeases(store, JOB, { identity: HERE });
    const outcome = await releaseGoneLeases(store, held, JOB.id);
    expect(outcome.released.map((l) => l.name)).toEqual(['push:tickets']);
    expect(outcome.failedRuns).toEqual([dead.id]);
    expect(outcome.kept.map((k) => k.lease.name)).toEqual(['sync:tickets']);
    expect(outcome.kept[0]?.hint).toContain('runs on host build-2');
    expect(await store.runs.get(dead.id)).toMatchObject({ status: 'failed', error: { code: 'abandoned' } });
    expect((await store.leases.listActive()).map((l) => l.name)).toEqual(['sync:tickets']);

    // A lease taken over meanwhile by a live run is left alone.
    const [stale] = held;
    await store.leases.acquire('push:tickets', 'build-1:200:run:next', 600_000);
    const again = await releaseGoneLeases(store, [stale!], JOB.id);
    expect(again.released).toEqual([]);
    expect((await store.leases.get('push:tickets'))?.holder).toBe('build-1:200:run:next');
  });
});
