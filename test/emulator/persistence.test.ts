import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PageObjectResponse } from '@notionhq/client';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('persistence', () => {
  it('keeps pages, blocks, data sources, users and counters across a restart, without reseeding', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-'));
    dirs.push(dir);
    const persistPath = join(dir, 'state.json');
    const first = await emulatorClient({ persistPath, persistDebounceMs: 10 });
    const db = await first.notion.databases.create({
      parent: { type: 'page_id', page_id: first.root },
      title: text('Kept'),
      initial_data_source: { properties: { Name: { title: {} }, ID: { unique_id: { prefix: 'K' } } } },
    });
    const ds = ('data_sources' in db && db.data_sources[0]!.id) as string;
    const row = await first.notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Name: { title: text('one') } },
      children: [{ paragraph: { rich_text: text('body') } }],
    });
    first.em.createUser({ name: 'Extra Person', email: 'extra@example.com' });
    const botId = first.em.botId;
    await first.em.stop();
    const doc = JSON.parse(await readFile(persistPath, 'utf8')) as { format: string };
    expect(doc.format).toBe('notion-sync-emulator');

    const second = await emulatorClient({ persistPath });
    expect(second.em.rootPageId).toBe(first.root);
    expect(second.em.botId).toBe(botId);
    expect(second.em.stats().pages).toBe(2);
    const got = (await second.notion.pages.retrieve({ page_id: row.id })) as PageObjectResponse;
    expect(got.properties.Name).toMatchObject({ title: [{ plain_text: 'one' }] });
    const children = await second.notion.blocks.children.list({ block_id: row.id });
    expect(children.results).toHaveLength(1);
    const users = await second.notion.users.list({});
    expect(users.results.map((u) => u.name)).toContain('Extra Person');
    const next = (await second.notion.pages.create({
      parent: { data_source_id: ds },
      properties: {},
    })) as PageObjectResponse;
    expect(next.properties.ID).toMatchObject({ unique_id: { prefix: 'K', number: 2 } });
  });
});
