import {
  APIResponseError,
  type Client,
  collectAllDataSourceRows,
  type PageObjectResponse,
} from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { emulatorClient, raw, text } from './emulator-fixture.js';

async function rowsSource(notion: Client, root: string): Promise<string> {
  const db = await notion.databases.create({
    parent: { type: 'page_id', page_id: root },
    title: text('Rows'),
    initial_data_source: { properties: { Name: { title: {} }, N: { number: {} }, Tag: { select: {} } } },
  });
  return ('data_sources' in db && db.data_sources[0]!.id) as string;
}

describe('dataSources.query', () => {
  it('pages through 25,000 rows exactly once each, reusing one sorted snapshot', async () => {
    const clock = new ManualClock(Date.parse('2025-01-01T00:00:00Z'));
    const { em, notion, root } = await emulatorClient({ clock, queryResultCap: 100_000 });
    const ds = await rowsSource(notion, root);
    for (let i = 0; i < 25_000; i++) {
      if (i % 100 === 0) clock.set(clock.now() + 60_000);
      em.workspace.createPage(
        { parent: { data_source_id: ds }, properties: { Name: { title: text(`r${i}`) }, N: { number: i } } },
        [],
      );
    }
    const seen = new Set<string>();
    let duplicates = 0;
    let outOfOrder = 0;
    let cursor: string | undefined;
    let pages = 0;
    let lastCreated = '';
    const started = performance.now();
    do {
      const res = await notion.dataSources.query({
        data_source_id: ds,
        page_size: 100,
        ...(cursor ? { start_cursor: cursor } : {}),
      });
      pages++;
      for (const r of res.results as PageObjectResponse[]) {
        if (seen.has(r.id)) duplicates++;
        seen.add(r.id);
        if (r.created_time < lastCreated) outOfOrder++;
        lastCreated = r.created_time;
      }
      expect(res.request_status).toBeUndefined();
      cursor = res.next_cursor ?? undefined;
      expect(res.has_more).toBe(cursor !== undefined);
    } while (cursor);
    expect(duplicates).toBe(0);
    expect(outOfOrder).toBe(0);
    expect(seen.size).toBe(25_000);
    expect(pages).toBe(250);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('stops at the result cap with has_more false and request_status incomplete on every page', async () => {
    const { em, notion, root } = await emulatorClient({ queryResultCap: 25 });
    const ds = await rowsSource(notion, root);
    for (let i = 0; i < 60; i++)
      em.workspace.createPage({ parent: { data_source_id: ds }, properties: { N: { number: i } } }, []);
    const first = await notion.dataSources.query({ data_source_id: ds, page_size: 10 });
    expect(first.request_status).toEqual({
      type: 'incomplete',
      incomplete_reason: 'query_result_limit_reached',
    });
    const ids = first.results.map((r) => r.id);
    let cursor = first.next_cursor;
    while (cursor) {
      const res = await notion.dataSources.query({ data_source_id: ds, page_size: 10, start_cursor: cursor });
      expect(res.request_status).toEqual({
        type: 'incomplete',
        incomplete_reason: 'query_result_limit_reached',
      });
      ids.push(...res.results.map((r) => r.id));
      cursor = res.next_cursor;
      if (!cursor) expect(res.has_more).toBe(false);
    }
    expect(ids).toHaveLength(25);
    // Under the cap: complete.
    const few = await notion.dataSources.query({
      data_source_id: ds,
      filter: { timestamp: 'created_time', created_time: { after: '2999-01-01' } },
    });
    expect(few.results).toHaveLength(0);
    expect(few.request_status).toBeUndefined();
  });

  it("lets the SDK's collectAllDataSourceRows read past the cap by created_time windows", async () => {
    const clock = new ManualClock(Date.parse('2025-02-01T00:00:00Z'));
    const { em, notion, root } = await emulatorClient({ clock, queryResultCap: 25 });
    const ds = await rowsSource(notion, root);
    for (let i = 0; i < 60; i++) {
      if (i % 10 === 0) clock.set(clock.now() + 60_000);
      em.workspace.createPage({ parent: { data_source_id: ds }, properties: { N: { number: i } } }, []);
    }
    const rows = await collectAllDataSourceRows(notion, { data_source_id: ds, page_size: 10 });
    expect(new Set(rows.map((r) => r.id)).size).toBe(60);
  });

  it('validates page_size, cursors and filters', async () => {
    const { notion, root } = await emulatorClient();
    const ds = await rowsSource(notion, root);
    const tooBig = await notion.dataSources
      .query({ data_source_id: ds, page_size: 101 })
      .catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(APIResponseError);
    expect((tooBig as APIResponseError).message).toBe(
      'body failed validation: body.page_size should be ≤ `100`, instead was `101`.',
    );
    const badCursor = await notion.dataSources
      .query({ data_source_id: ds, start_cursor: 'nope' })
      .catch((e: unknown) => e);
    expect((badCursor as APIResponseError).code).toBe('validation_error');
    const badFilter = await notion.dataSources
      .query({
        data_source_id: ds,
        filter: { timestamp: 'created_time', created_time: { after: 42 } } as never,
      })
      .catch((e: unknown) => e);
    expect((badFilter as APIResponseError).code).toBe('validation_error');
  });

  it('applies filter_properties (by id or name, repeated or with [])', async () => {
    const { em, notion, root } = await emulatorClient();
    const ds = await rowsSource(notion, root);
    await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Name: { title: text('x') }, N: { number: 1 } },
    });
    const schema = await notion.dataSources.retrieve({ data_source_id: ds });
    const nId = ('properties' in schema && schema.properties.N!.id) as string;
    const res = await notion.dataSources.query({ data_source_id: ds, filter_properties: [nId] });
    expect(Object.keys((res.results[0] as PageObjectResponse).properties)).toEqual(['N']);
    const viaBrackets = await raw(
      em.url,
      `/v1/data_sources/${ds}/query?filter_properties[]=title&filter_properties[]=N`,
      { method: 'POST', body: '{}' },
    );
    const props = (
      (viaBrackets.body.results as Record<string, unknown>[])[0] as { properties: Record<string, unknown> }
    ).properties;
    expect(Object.keys(props).sort()).toEqual(['N', 'Name']);
  });

  it('lags writes by consistencyLagMs while retrieve by id is fresh', async () => {
    const clock = new ManualClock(Date.parse('2025-05-05T12:00:00Z'));
    const { notion, root } = await emulatorClient({ clock, consistencyLagMs: 5_000 });
    const ds = await rowsSource(notion, root);
    const page = await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { N: { number: 1 } },
    });
    expect((await notion.dataSources.query({ data_source_id: ds })).results).toHaveLength(0);
    expect((await notion.pages.retrieve({ page_id: page.id })).id).toBe(page.id);
    clock.set(clock.now() + 5_000);
    const visible = await notion.dataSources.query({ data_source_id: ds });
    expect((visible.results[0] as PageObjectResponse).properties.N).toMatchObject({ number: 1 });
    await notion.pages.update({ page_id: page.id, properties: { N: { number: 2 } } });
    clock.set(clock.now() + 1_000);
    const stale = await notion.dataSources.query({ data_source_id: ds });
    expect((stale.results[0] as PageObjectResponse).properties.N).toMatchObject({ number: 1 });
    expect(
      ((await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse).properties.N,
    ).toMatchObject({ number: 2 });
    clock.set(clock.now() + 4_000);
    const fresh = await notion.dataSources.query({ data_source_id: ds });
    expect((fresh.results[0] as PageObjectResponse).properties.N).toMatchObject({ number: 2 });
  });
});

describe('search', () => {
  it('matches titles, filters by object, sorts by last_edited_time and paginates', async () => {
    const clock = new ManualClock(Date.parse('2025-01-01T00:00:00Z'));
    const { notion, root } = await emulatorClient({ clock });
    const ds = await rowsSource(notion, root);
    for (let i = 0; i < 5; i++) {
      clock.set(clock.now() + 60_000);
      await notion.pages.create({
        parent: { page_id: root },
        properties: { title: { title: text(`Alpha ${i}`) } },
      });
    }
    const all = await notion.search({ query: 'alpha', page_size: 2 });
    expect(all.type).toBe('page_or_data_source');
    expect(
      all.results.map((r) =>
        'properties' in r && r.object === 'page'
          ? (r.properties.title as { title: { plain_text: string }[] }).title[0]!.plain_text
          : '',
      ),
    ).toEqual(['Alpha 4', 'Alpha 3']);
    const next = await notion.search({ query: 'alpha', page_size: 10, start_cursor: all.next_cursor! });
    expect(next.results).toHaveLength(3);
    expect(next.next_cursor).toBeNull();
    const asc = await notion.search({
      query: 'alpha',
      sort: { timestamp: 'last_edited_time', direction: 'ascending' },
    });
    expect(asc.results[0]!.id).toBe(all.results.at(-1) && next.results.at(-1)!.id);
    const sources = await notion.search({ filter: { property: 'object', value: 'data_source' } });
    expect(sources.results.map((r) => r.id)).toEqual([ds]);
    expect(sources.results[0]!.object).toBe('data_source');
    const pages = await notion.search({ filter: { property: 'object', value: 'page' } });
    expect(pages.results.every((r) => r.object === 'page')).toBe(true);
  });
});
