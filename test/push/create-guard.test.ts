/**
 * DESIGN invariant 3 under faults: no duplicate pages, no lost rows, whatever happens to a create's answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/emulator/index.js';
import { reconcilePendingCreate } from '../../src/push/apply-batch.js';
import { systemClock } from '../../src/system-clock.js';
import { startPushHarness, testWorker, TestSource, type PushHarness } from './push-harness.js';

const harnesses: PushHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function harness(options: Parameters<typeof startPushHarness>[0] = {}): Promise<PushHarness> {
  const h = await startPushHarness(options);
  harnesses.push(h);
  return h;
}

function sourceOf(n: number, prefix = 'k'): TestSource {
  const source = new TestSource();
  for (let i = 0; i < n; i++) {
    source.upsert({
      id: `${prefix}${String(i).padStart(2, '0')}`,
      title: `Item ${i}`,
      ...(i % 2 ? { parent: `${prefix}00` } : {}),
    });
  }
  return source;
}

/** Every page the emulator holds in a data source, trashed ones included, by primary key. */
function allPagesByKey(h: PushHarness, dataSourceId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rec of h.emulator.workspace.pages.values()) {
    const page = rec.page as { parent?: { data_source_id?: string }; properties?: Record<string, unknown> };
    if (page.parent?.data_source_id !== dataSourceId) continue;
    const title = (page.properties?.Key as { title?: { plain_text: string }[] } | undefined)?.title;
    const key = title?.map((t) => t.plain_text).join('') ?? '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Runs the replace sync until a cycle succeeds (at most `maxRuns`), then checks Notion equals the source. */
async function syncUntilDone(h: PushHarness, source: TestSource, maxRuns = 5): Promise<void> {
  const worker = testWorker(source, { pageSize: 4 });
  let outcome = await h.run(worker, 'itemsReplace');
  for (let i = 1; i < maxRuns && outcome.status !== 'succeeded'; i++) {
    outcome = await h.run(worker, 'itemsReplace');
  }
  h.emulator.faults.clear();
  if (outcome.status !== 'succeeded') outcome = await h.run(worker, 'itemsReplace');
  expect([outcome.status, outcome.error?.message, outcome.counts]).toEqual([
    'succeeded',
    undefined,
    expect.anything(),
  ]);
  const rows = await h.rows('items', 'Key'); // throws on a duplicate live page
  expect([...rows.keys()].sort()).toEqual([...source.items.keys()].sort());
  for (const item of source.items.values()) {
    const row = rows.get(item.id);
    expect(row?.properties.Name).toBe(item.title);
    expect(row?.properties.Parent).toEqual(item.parent ? [rows.get(item.parent)?.id] : []);
  }
  // Not even a trashed duplicate: each key was created exactly once.
  const all = allPagesByKey(h, await h.dataSourceOf('items'));
  expect([...all.values()].every((n) => n === 1)).toBe(true);
}

describe('creates under faults', () => {
  const seeds = Number(process.env.PUSH_FAULT_SEEDS ?? 50);
  it(`commitThenDrop on pages.create over ${seeds} seeded runs: zero duplicates, zero lost rows`, async () => {
    let fired = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const h = await startPushHarness();
      try {
        h.emulator.faults.add({ route: 'pages.create', kind: 'commitThenDrop', probability: 0.35, seed });
        await syncUntilDone(h, sourceOf(6));
        fired += h.emulator.stats().faultsFired;
      } finally {
        await h.close();
      }
    }
    expect(fired).toBeGreaterThan(seeds); // about two lost answers per run
  }, 60_000);

  it('429 storms: every call is retried after Retry-After, nothing lost or doubled', async () => {
    const h = await harness();
    h.emulator.faults.add({
      route: '*',
      kind: 'error',
      status: 429,
      retryAfterSeconds: 0,
      probability: 0.4,
      seed: 7,
    });
    await syncUntilDone(h, sourceOf(10));
    expect(h.gateway.metrics.snapshot().total.rateLimited).toBeGreaterThan(0);
  });

  it('5xx on every route: creates are looked up before being repeated', async () => {
    const h = await harness();
    const rules: FaultRule[] = [
      { route: '*', kind: 'error', status: 500, probability: 0.2, seed: 3 },
      { route: 'pages.create', kind: 'error', status: 503, probability: 0.2, seed: 4 },
    ];
    for (const r of rules) h.emulator.faults.add(r);
    await syncUntilDone(h, sourceOf(10));
  });

  it('timeouts: a create that lands after its timeout is found once the settle time has passed', async () => {
    // Concurrent timeouts count as consecutive failures: keep the breaker out of this test's way.
    const h = await harness({ gateway: { requestTimeoutMs: 150, breaker: { failureThreshold: 100 } } });
    // The emulator handles the request after 300 ms: our attempt has timed out by then, the write still lands.
    h.emulator.faults.add({ route: 'pages.create', kind: 'delay', ms: 300, probability: 0.3, seed: 5 });
    const source = sourceOf(6);
    const worker = testWorker(source, { pageSize: 6 });
    const outcome = await h.run(worker, 'itemsReplace', { createSettleMs: 800 });
    h.emulator.faults.clear();
    expect([outcome.status, outcome.error?.message, outcome.counts]).toEqual([
      'succeeded',
      undefined,
      expect.anything(),
    ]);
    await syncUntilDone(h, source);
  });

  it('a lagging query index: the lookup after a lost answer waits out the settle time', async () => {
    const h = await harness({ emulator: { consistencyLagMs: 300 } });
    h.emulator.faults.add({ route: 'pages.create', kind: 'commitThenDrop', times: 2 });
    const source = sourceOf(5);
    const outcome = await h.run(testWorker(source, { pageSize: 5 }), 'itemsReplace', { createSettleMs: 600 });
    expect(h.emulator.stats().faultsFired).toBeGreaterThan(0);
    h.emulator.faults.clear();
    expect([outcome.status, outcome.error?.message, outcome.counts]).toEqual([
      'succeeded',
      undefined,
      expect.anything(),
    ]);
    const all = allPagesByKey(h, await h.dataSourceOf('items'));
    expect([...all.keys()].sort()).toEqual([...source.items.keys()].sort());
    expect([...all.values()].every((n) => n === 1)).toBe(true);
  });
});

describe(reconcilePendingCreate, () => {
  it('after a crash between create and commit, the next run adopts the page instead of creating it', async () => {
    const h = await harness();
    const source = sourceOf(2);
    const worker = testWorker(source);
    await h.run(worker, 'itemsReplace');
    const dataSourceId = await h.dataSourceOf('items');
    // A crash right after pages.create: the page exists, the intent is recorded, the key map knows nothing.
    const page = await h.notion.pages.create({
      parent: { data_source_id: dataSourceId },
      properties: { Key: { title: [{ text: { content: 'new' } }] } },
    });
    await h.store.pendingWrites.record(dataSourceId, 'new', {});
    source.upsert({ id: 'new', title: 'New row' });
    const outcome = await h.run(worker, 'itemsReplace');
    expect([outcome.error?.message, outcome.counts]).toMatchObject([undefined, { created: 0, updated: 1 }]);
    const rows = await h.rows('items', 'Key');
    expect(rows.get('new')).toMatchObject({ id: page.id, properties: { Name: 'New row' } });
    expect(await h.store.pendingWrites.list()).toEqual([]);
  });

  it('keeps the oldest of several pages with the key and trashes the others', async () => {
    // created_time is minute-granular: the emulator's clock moves a minute between the two creates.
    let offsetMs = 0;
    const h = await harness({
      emulator: {
        clock: { now: () => Date.now() + offsetMs, sleep: (ms, signal) => systemClock.sleep(ms, signal) },
      },
    });
    const source = sourceOf(1);
    const worker = testWorker(source);
    await h.run(worker, 'itemsReplace');
    const dataSourceId = await h.dataSourceOf('items');
    const create = () =>
      h.notion.pages.create({
        parent: { data_source_id: dataSourceId },
        properties: { Key: { title: [{ text: { content: 'dup' } }] } },
      });
    const oldest = await create();
    offsetMs = 60_000;
    const younger = await create();
    await h.store.pendingWrites.record(dataSourceId, 'dup', {});
    source.upsert({ id: 'dup', title: 'Dup' });
    await h.run(worker, 'itemsReplace');
    const rows = await h.rows('items', 'Key');
    expect(rows.get('dup')?.id).toBe(oldest.id);
    const trashed = (await h.notion.pages.retrieve({ page_id: younger.id })) as { in_trash: boolean };
    expect(trashed.in_trash).toBe(true);
  });
});
