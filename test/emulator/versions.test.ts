import type { APIResponseError } from '@notionhq/client';
import { Client, LogLevel, type PageObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, raw, text } from './emulator-fixture.js';

function clientFor(url: string, notionVersion: string): Client {
  return new Client({
    auth: 'secret_test_token',
    baseUrl: url,
    notionVersion,
    retry: false,
    logLevel: LogLevel.ERROR,
  });
}

describe('Notion-Version differences', () => {
  it('2022-06-28: databases own properties and rows, query through databases, database_id parents', async () => {
    const { em, notion, root } = await emulatorClient();
    const legacy = clientFor(em.url, '2022-06-28');
    const created = (await legacy.request({
      path: 'databases',
      method: 'post',
      body: {
        parent: { type: 'page_id', page_id: root },
        title: text('Legacy'),
        properties: { Name: { title: {} }, Score: { number: {} } },
      },
    })) as Record<string, unknown>;
    expect(created).toMatchObject({
      object: 'database',
      properties: { Name: { type: 'title' }, Score: { type: 'number' } },
    });
    expect(created.data_sources).toBeUndefined();
    const dbId = created.id as string;
    const row = (await legacy.pages.create({
      parent: { database_id: dbId },
      properties: { Name: { title: text('r1') }, Score: { number: 5 } },
    })) as PageObjectResponse;
    expect(row.parent).toEqual({ type: 'database_id', database_id: dbId });
    const q = (await legacy.request({ path: `databases/${dbId}/query`, method: 'post', body: {} })) as Record<
      string,
      unknown
    >;
    expect(q).toMatchObject({
      object: 'list',
      type: 'page_or_database',
      results: [{ id: row.id, parent: { type: 'database_id', database_id: dbId } }],
    });
    const updated = (await legacy.request({
      path: `databases/${dbId}`,
      method: 'patch',
      body: { properties: { Done: { checkbox: {} } } },
    })) as Record<string, unknown>;
    expect(Object.keys(updated.properties as object)).toContain('Done');
    const search = await legacy.search({ query: 'Legacy' });
    expect(search.results.map((r) => r.object)).toEqual(['database']);
    expect((search as unknown as { type: string }).type).toBe('page_or_database');
    // The same row seen by a 2025-09-03 caller.
    const modern = (await notion.pages.retrieve({ page_id: row.id })) as PageObjectResponse;
    expect(modern.parent).toMatchObject({ type: 'data_source_id', database_id: dbId });
    // 2025-09-03 has no databases query; 2022-06-28 has no data sources endpoints.
    const noQuery = await notion
      .request({ path: `databases/${dbId}/query`, method: 'post', body: {} })
      .catch((e: unknown) => e);
    expect((noQuery as APIResponseError).code).toBe('invalid_request_url');
    const dsId = (modern.parent as { data_source_id: string }).data_source_id;
    const noDs = await raw(em.url, `/v1/data_sources/${dsId}`, {
      headers: { 'notion-version': '2022-06-28' },
    });
    expect(noDs.body.code).toBe('invalid_request_url');
  });

  it('2026-03-11: no archived in responses, no deprecated after on append', async () => {
    const { em, root } = await emulatorClient();
    const v26 = clientFor(em.url, '2026-03-11');
    const page = (await v26.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('New') } },
    })) as Record<string, unknown>;
    expect(page.in_trash).toBe(false);
    expect('archived' in page).toBe(false);
    const [b] = (
      await v26.blocks.children.append({
        block_id: page.id as string,
        children: [{ paragraph: { rich_text: text('a') } }],
      })
    ).results;
    expect('archived' in (b as object)).toBe(false);
    const after = await v26.blocks.children
      .append({
        block_id: page.id as string,
        children: [{ paragraph: { rich_text: text('b') } }],
        after: b!.id,
      } as never)
      .catch((e: unknown) => e);
    expect((after as APIResponseError).message).toContain('body.after should be not present');
    const ok = await v26.blocks.children.append({
      block_id: page.id as string,
      children: [{ paragraph: { rich_text: text('b') } }],
      position: { type: 'after_block', after_block: { id: b!.id } },
    });
    expect(ok.results).toHaveLength(1);
  });
});
