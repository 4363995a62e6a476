/**
 * Acceptance of the "Emulator" issue: an exhaustive read of a 25,000-row data source through the gateway's
 * cap-splitting helper (`queryDataSourceAll`) against the emulator with Notion's default 10,000-row query
 * cap returns every row exactly once, also when more rows than the cap share one created_time minute (a
 * bulk import: that minute is read in last_edited_time windows); more rows than the cap sharing both
 * times give the typed `QueryCapError`, never a silently truncated result.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { QueryCapError } from '../../src/notion/gateway-errors.js';
import { QUERY_RESULT_CAP } from '../../src/notion/limits.js';
import { MAX_CROWDED_RESTARTS } from '../../src/notion/query-data-source-all.js';
import type { QueryAllCheckpoint, QueryAllPage } from '../../src/notion/query-data-source-all.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { emulatorClient, text } from '../emulator/emulator-fixture.js';

const MINUTE_MS = 60_000;

/**
 * Starts an emulator with the default cap and a manual clock, creates a data source and, for each entry of
 * `minutes`, that many rows created in one minute (the clock advances a minute between batches).
 */
async function seeded(
  minutes: readonly number[],
): Promise<{ em: EmulatorHandle; dataSourceId: string; token: string; clock: ManualClock }> {
  const clock = new ManualClock(Date.parse('2026-01-05T09:00:00Z'));
  // A token per emulator: the gateway's pacer is shared per token across the process.
  const token = `ntn_conformance_${minutes.join('_')}_000000000000`;
  const { em, notion, root } = await emulatorClient({ clock, token });
  const db = await notion.databases.create({
    parent: { type: 'page_id', page_id: root },
    title: text('Big'),
    initial_data_source: { properties: { Name: { title: {} }, N: { number: {} } } },
  });
  const dataSourceId = ('data_sources' in db && db.data_sources[0]?.id) as string;
  let n = 0;
  for (const count of minutes) {
    clock.set(clock.now() + MINUTE_MS);
    for (let i = 0; i < count; i++, n++) {
      em.workspace.createPage(
        {
          parent: { data_source_id: dataSourceId },
          properties: { Name: { title: text(`r${n}`) }, N: { number: n } },
        },
        [],
      );
    }
  }
  return { em, dataSourceId, token, clock };
}

/** Edits rows `from`..`to - 1` (in creation order) at the clock's current time. */
function editRows(em: EmulatorHandle, dataSourceId: string, from: number, to: number): void {
  const rows = em.workspace.dataSources.get(dataSourceId)?.rows ?? [];
  for (const id of [...rows].slice(from, to))
    em.workspace.updatePage(em.workspace.getPage(id), { properties: { N: { number: -1 } } });
}

async function readAll(
  gateway: ReturnType<typeof createGateway>,
  dataSourceId: string,
  resumeFrom?: QueryAllCheckpoint,
  now?: () => number,
): Promise<QueryAllPage[]> {
  const pages: QueryAllPage[] = [];
  for await (const page of gateway.queryDataSourceAll(
    { data_source_id: dataSourceId, page_size: 100 },
    { ...(resumeFrom === undefined ? {} : { resumeFrom }), ...(now === undefined ? {} : { now }) },
  ))
    pages.push(page);
  return pages;
}

function gatewayFor(em: EmulatorHandle, token: string): ReturnType<typeof createGateway> {
  return createGateway({ token, baseUrl: em.url, requestsPerSecond: 100_000, burst: 1_000 });
}

describe('queryDataSourceAll', () => {
  it('reads 25,000 rows past the default 10,000-row cap, each exactly once', async () => {
    // Windows (cap 10,000, sorted by created_time): [m1 4,000 + m2 6,000] → capped inside m2;
    // [m2 6,500 again + m3 3,000 + m4 500] → capped inside m4; [m4 9,500 + m5 500] → capped inside m5;
    // [m5 2,000] → complete. Every boundary minute is read twice and de-duplicated by id.
    const minutes = [4_000, 6_500, 3_000, 9_500, 2_000];
    expect(Math.max(...minutes)).toBeLessThanOrEqual(QUERY_RESULT_CAP);
    const { em, dataSourceId, token } = await seeded(minutes);
    const gateway = gatewayFor(em, token);

    const counts = new Map<string, number>();
    const windows = new Set<number>();
    let lastCreated = '';
    let outOfOrder = 0;
    let done = 0;
    for await (const page of gateway.queryDataSourceAll({ data_source_id: dataSourceId, page_size: 100 })) {
      windows.add(page.windowIndex);
      if (page.done) done++;
      for (const row of page.results) {
        counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
        const created = 'created_time' in row ? row.created_time : '';
        if (created < lastCreated) outOfOrder++;
        lastCreated = created;
      }
    }

    const expected = [...(em.workspace.dataSources.get(dataSourceId)?.rows ?? [])];
    expect(expected).toHaveLength(25_000);
    expect(counts.size).toBe(expected.length);
    expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
    expect(expected.every((id) => counts.has(id))).toBe(true);
    expect(outOfOrder).toBe(0);
    expect(done).toBe(1);
    // The cap really was hit three times: the helper split the read into four created_time windows.
    expect([...windows]).toEqual([0, 1, 2, 3]);
  }, 60_000);

  it('reads a created_time minute holding more rows than the cap (a bulk import) by last_edited_time, each row once', async () => {
    // 50 rows, then 15,000 in one minute, then 100. Of the crowded minute's rows, 4,000 keep their
    // last_edited_time and three groups of 4,000, 4,000 and 3,000 were edited in three later minutes.
    const { em, dataSourceId, token, clock } = await seeded([50, 15_000, 100]);
    for (const [from, to] of [
      [4_050, 8_050],
      [8_050, 12_050],
      [12_050, 15_050],
    ] as const) {
      clock.set(clock.now() + MINUTE_MS);
      editRows(em, dataSourceId, from, to);
    }
    const gateway = gatewayFor(em, token);
    const pages = await readAll(gateway, dataSourceId);
    const read = pages.flatMap((p) => p.results.map((r) => r.id));
    const expected = [...(em.workspace.dataSources.get(dataSourceId)?.rows ?? [])];
    expect(read).toHaveLength(15_150);
    expect(new Set(read)).toEqual(new Set(expected));
    expect(pages.filter((p) => p.done)).toHaveLength(1);
    expect(pages.at(-1)?.done).toBe(true);
    // A crowded-minute pass ran, and the created_time scan went on strictly after that minute.
    expect(pages.some((p) => p.checkpoint.crowded != null)).toBe(true);
    expect(pages.at(-1)?.checkpoint).toMatchObject({ windowStartExclusive: true });

    // Resumed from checkpoints taken inside the crowded pass and right after it: nothing repeated or lost.
    const inPass = pages.flatMap((p, i) => (p.checkpoint.crowded != null ? [i] : []));
    const after = pages.findIndex(
      (p, i) => i > 0 && pages[i - 1]?.checkpoint.crowded != null && p.checkpoint.crowded == null,
    );
    for (const stop of [inPass[0], inPass[Math.floor(inPass.length / 2)], inPass.at(-1), after - 1]) {
      if (stop === undefined || stop < 0) continue;
      const before = pages.slice(0, stop + 1).flatMap((p) => p.results.map((r) => r.id));
      const checkpoint = JSON.parse(JSON.stringify(pages[stop]?.checkpoint)) as QueryAllCheckpoint;
      const rest = (await readAll(gateway, dataSourceId, checkpoint)).flatMap((p) =>
        p.results.map((r) => r.id),
      );
      expect(before.length + rest.length).toBe(15_150);
      expect(new Set([...before, ...rest])).toEqual(new Set(expected));
    }
  }, 120_000);

  it('reads a crowded minute again when its rows are edited during the pass (cursors may have skipped one)', async () => {
    const { em, dataSourceId, token, clock } = await seeded([12_000]);
    clock.set(clock.now() + MINUTE_MS);
    editRows(em, dataSourceId, 6_000, 12_000); // two last_edited_time minutes of 6,000 rows
    clock.set(clock.now() + 10 * MINUTE_MS);
    const gateway = gatewayFor(em, token);
    const counts = new Map<string, number>();
    const restarts = new Set<number>();
    let edits = 0;
    for await (const page of gateway.queryDataSourceAll(
      { data_source_id: dataSourceId, page_size: 100 },
      { now: () => clock.now() },
    )) {
      for (const row of page.results) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
      const pass = page.checkpoint.crowded;
      if (pass != null) restarts.add(pass.restarts);
      // Ten pages into the first pass, someone edits 20 rows of the minute; then time moves on.
      if (pass?.restarts === 0 && ++edits === 10) {
        editRows(em, dataSourceId, 5_000, 5_020);
        clock.set(clock.now() + 2 * MINUTE_MS);
      }
    }
    expect(counts.size).toBe(12_000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...restarts]).toEqual([0, 1]);
  }, 120_000);

  it('stops with QueryCapError when a crowded minute keeps being edited during every pass, and resumes later', async () => {
    const { em, dataSourceId, token, clock } = await seeded([10_500]);
    clock.set(clock.now() + MINUTE_MS);
    editRows(em, dataSourceId, 5_000, 10_500);
    const gateway = gatewayFor(em, token);
    let error: unknown;
    let lastRestarts = -1;
    const yielded: string[] = [];
    let checkpointBefore: QueryAllCheckpoint | undefined;
    try {
      for await (const page of gateway.queryDataSourceAll(
        { data_source_id: dataSourceId, page_size: 100 },
        { now: () => clock.now() },
      )) {
        yielded.push(...page.results.map((r) => r.id));
        checkpointBefore = JSON.parse(JSON.stringify(page.checkpoint)) as QueryAllCheckpoint;
        const pass = page.checkpoint.crowded;
        if (pass != null && pass.restarts !== lastRestarts) {
          lastRestarts = pass.restarts;
          editRows(em, dataSourceId, 100 * pass.restarts, 100 * pass.restarts + 5);
        }
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryCapError);
    expect((error as QueryCapError).message).toMatch(/kept being edited/);
    expect(lastRestarts).toBe(MAX_CROWDED_RESTARTS);
    // Run again from the last checkpoint once the edits have stopped: it completes, each row once.
    clock.set(clock.now() + 2 * MINUTE_MS);
    const rest = await readAll(gateway, dataSourceId, checkpointBefore as QueryAllCheckpoint, () =>
      clock.now(),
    );
    const all = [...yielded, ...rest.flatMap((p) => p.results.map((r) => r.id))];
    expect(all).toHaveLength(10_500);
    expect(new Set(all).size).toBe(10_500);
  }, 120_000);

  it('throws QueryCapError when more rows than the cap share one created_time and one last_edited_time', async () => {
    const { em, dataSourceId, token } = await seeded([50, QUERY_RESULT_CAP + 50]);
    const gateway = gatewayFor(em, token);
    const yielded = new Map<string, number>();
    let error: unknown;
    try {
      for await (const page of gateway.queryDataSourceAll({ data_source_id: dataSourceId, page_size: 100 })) {
        for (const row of page.results) yielded.set(row.id, (yielded.get(row.id) ?? 0) + 1);
        expect(page.done).toBe(false);
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryCapError);
    const capError = error as QueryCapError;
    expect(capError.code).toBe('limit_exceeded');
    expect(capError.dataSourceId).toBe(dataSourceId);
    expect(capError.createdTime).toBe('2026-01-05T09:02:00.000Z');
    expect(capError.message).toMatch(/cannot be split by time/);
    // What was yielded before the error was read once each and is not the whole: never passed off as it.
    expect([...yielded.values()].every((n) => n === 1)).toBe(true);
    expect(yielded.size).toBeGreaterThanOrEqual(QUERY_RESULT_CAP);
    expect(yielded.size).toBeLessThan(QUERY_RESULT_CAP + 100);
  }, 60_000);
});
