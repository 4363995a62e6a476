/**
 * `--preview` plans from the key map as a real run does, then checks the plan against Notion as it is now.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewSyncCycle } from '../../src/push/preview-sync-cycle.js';
import { startPushHarness, testWorker, TestSource, type PushHarness } from './push-harness.js';

let h: PushHarness;
beforeEach(async () => {
  h = await startPushHarness();
});
afterEach(async () => {
  await h.close();
});

const richText = (content: string) => ({ rich_text: [{ type: 'text' as const, text: { content } }] });

describe(previewSyncCycle, () => {
  it('marks what Notion holds now: edits made there, trashed pages, unmapped keys, values already there', async () => {
    const source = new TestSource();
    for (const id of ['a', 'b', 'c', 'd']) source.upsert({ id, title: id.toUpperCase() });
    const worker = testWorker(source);
    expect((await h.run(worker, 'itemsReplace')).status).toBe('succeeded');
    const rows = await h.rows('items', 'Key');
    const pageOf = (key: string): string => rows.get(key)?.id as string;
    // In Notion, by hand: a's Name edited, b trashed, d's Name already set to what the source will say, and a
    // page for key e that notion-sync never wrote.
    await h.notion.pages.update({ page_id: pageOf('a'), properties: { Name: richText('Edited by hand') } });
    await h.notion.pages.update({ page_id: pageOf('b'), in_trash: true });
    await h.notion.pages.update({ page_id: pageOf('d'), properties: { Name: richText('D2') } });
    const stray = await h.notion.pages.create({
      parent: { data_source_id: await h.dataSourceOf('items') },
      properties: { Key: { title: [{ type: 'text', text: { content: 'e' } }] } },
    });
    source.upsert({ id: 'c', title: 'C2' }, { id: 'd', title: 'D2' }, { id: 'e', title: 'E' });

    const creates = h.emulator.stats().calls['pages.create'] ?? 0;
    const outcome = await h.run(worker, 'itemsReplace', { preview: true });
    const p = outcome.preview;
    const byKey = new Map(
      [...(p?.creates ?? []), ...(p?.updates ?? []), ...(p?.unchanged ?? [])].map((r) => [r.key, r]),
    );
    expect(p?.creates.map((r) => r.key)).toEqual(['e']);
    expect(byKey.get('e')?.notion).toEqual({ page: 'none', differs: ['Name'], unmappedPageId: stray.id });
    expect(p?.updates.map((r) => r.key)).toEqual(['c', 'd']);
    expect(byKey.get('c')?.notion).toEqual({ page: 'live', differs: ['Name'] });
    // The update is still planned (the key map says D), but Notion already holds D2.
    expect(byKey.get('d')?.notion).toEqual({ page: 'live', differs: [] });
    expect(byKey.get('a')?.notion).toEqual({ page: 'live', differs: ['Name'] });
    expect(byKey.get('b')?.notion).toEqual({ page: 'gone', differs: [] });
    // One schema read and one query of the live pages (a, c, d, e).
    expect(p?.notionRead).toEqual({ livePages: 4, apiCalls: 1 });
    expect(outcome.apiCalls).toBe(2);
    expect(h.emulator.stats().calls['pages.create'] ?? 0).toBe(creates);
  });
});
