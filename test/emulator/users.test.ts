import type { PageObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

describe('users', () => {
  it('lists the bot and person users with emails, paginated; retrieves one; 404 for unknown', async () => {
    const { em, notion } = await emulatorClient();
    for (let i = 0; i < 3; i++) em.createUser({ name: `Extra ${i}`, email: `extra${i}@example.com` });
    const first = await notion.users.list({ page_size: 3 });
    expect(first).toMatchObject({ object: 'list', type: 'user', has_more: true });
    const rest = await notion.users.list({ start_cursor: first.next_cursor!, page_size: 100 });
    expect(rest.next_cursor).toBeNull();
    const all = [...first.results, ...rest.results];
    expect(all).toHaveLength(1 + 4 + 3);
    expect(all[0]).toMatchObject({ id: em.botId, type: 'bot' });
    const ada = all.find((u) => u.name === 'Ada Lovelace')!;
    expect(ada).toMatchObject({ type: 'person', person: { email: 'ada@example.com' } });
    expect(await notion.users.retrieve({ user_id: ada.id })).toEqual(ada);
    const missing = await notion.users
      .retrieve({ user_id: '0123456789abcdef0123456789abcdef' })
      .catch((e: { code: string }) => e.code);
    expect(missing).toBe('object_not_found');
  });

  it('truncates people values at 25 in page objects; the property item endpoint returns all', async () => {
    const { em, notion, root } = await emulatorClient();
    const ids = Array.from(
      { length: 30 },
      (_, i) => em.createUser({ name: `P${i}`, email: `p${i}@example.com` }).id as string,
    );
    const db = await notion.databases.create({
      parent: { type: 'page_id', page_id: root },
      title: text('Team'),
      initial_data_source: { properties: { Name: { title: {} }, Who: { people: {} } } },
    });
    const ds = ('data_sources' in db && db.data_sources[0]!.id) as string;
    const page = (await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Who: { people: ids.map((id) => ({ id })) } },
    })) as PageObjectResponse;
    expect((page.properties.Who as { people: unknown[] }).people).toHaveLength(25);
    const items = await notion.pages.properties.retrieve({
      page_id: page.id,
      property_id: page.properties.Who!.id,
    });
    if (items.object !== 'list') throw new Error('expected a list');
    expect(items.results.map((r) => (r as { people: { id: string } }).people.id)).toEqual(ids);
  });
});
