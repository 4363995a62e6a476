import { APIResponseError } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

describe('fault injection', () => {
  it('answers 409 conflict_error for the next N calls of one route, then recovers', async () => {
    const { em, notion, root } = await emulatorClient();
    em.faults.add({ route: 'pages.update', kind: 'error', status: 409, times: 2 });
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('x') } },
    });
    for (let i = 0; i < 2; i++) {
      const e = await notion.pages
        .update({ page_id: page.id, icon: { type: 'emoji', emoji: '✅' } })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(APIResponseError);
      expect((e as APIResponseError).code).toBe('conflict_error');
      expect((e as APIResponseError).status).toBe(409);
    }
    expect((await notion.pages.update({ page_id: page.id, icon: { type: 'emoji', emoji: '✅' } })).id).toBe(
      page.id,
    );
    expect(em.faults.list()).toHaveLength(0);
    expect(em.stats().faultsFired).toBe(2);
    expect(() => em.faults.add({ route: 'pages.creat', kind: 'drop' })).toThrow(/endpoint name/);
  });

  it('fires seeded probabilistic faults deterministically', async () => {
    const pattern = async (): Promise<number[]> => {
      const { em, notion } = await emulatorClient();
      em.faults.add({ route: 'users.me', kind: 'error', status: 503, probability: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 20; i++)
        out.push(
          await notion.users.me({}).then(
            () => 200,
            (e: APIResponseError) => e.status,
          ),
        );
      return out;
    };
    const a = await pattern();
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await pattern()).toEqual(a);
  });

  it('sends Retry-After on injected 429s and 529s, which the SDK honours when retrying', async () => {
    const { em } = await emulatorClient();
    em.faults.add({ route: '*', kind: 'error', status: 529, retryAfterSeconds: 0, times: 1 });
    const { Client, LogLevel } = await import('@notionhq/client');
    const retrying = new Client({
      auth: 'x',
      baseUrl: em.url,
      logLevel: LogLevel.ERROR,
      retry: { maxRetries: 2, initialRetryDelayMs: 1 },
    });
    expect((await retrying.users.me({})).object).toBe('user');
    expect(em.stats().calls['users.me']).toBe(2);
  });

  it('delays, drops the connection, and commits then drops (the page exists though the client failed)', async () => {
    const { em, notion, root } = await emulatorClient();
    em.faults.add({ route: 'users.me', kind: 'delay', ms: 150, times: 1 });
    const t0 = performance.now();
    await notion.users.me({});
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);

    em.faults.add({ route: 'pages.create', kind: 'drop', times: 1 });
    const dropped = await notion.pages
      .create({ parent: { page_id: root }, properties: { title: { title: text('dropped') } } })
      .catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(Error);
    expect((await notion.search({ query: 'dropped' })).results).toHaveLength(0);

    em.faults.add({ route: 'pages.create', method: 'post', kind: 'commitThenDrop', times: 1 });
    const lost = await notion.pages
      .create({ parent: { page_id: root }, properties: { title: { title: text('committed') } } })
      .catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(Error);
    expect(lost).not.toBeInstanceOf(APIResponseError);
    const found = await notion.search({ query: 'committed' });
    expect(found.results).toHaveLength(1);
  });

  it('is controlled over HTTP at /__emulator/faults, /stats and /reset without a Notion-Version', async () => {
    const { em, notion, root } = await emulatorClient();
    const add = await fetch(`${em.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ route: 'users.list', kind: 'error', status: 500 }),
    });
    const { ids } = (await add.json()) as { ids: string[] };
    expect(ids).toHaveLength(1);
    const listed = (await (await fetch(`${em.url}/__emulator/faults`)).json()) as {
      faults: { id: string; route: string }[];
    };
    expect(listed.faults).toMatchObject([{ id: ids[0], route: 'users.list' }]);
    const e = await notion.users.list({}).catch((x: unknown) => x);
    expect((e as APIResponseError).code).toBe('internal_server_error');
    await fetch(`${em.url}/__emulator/faults`, { method: 'DELETE' });
    expect((await notion.users.list({})).results.length).toBeGreaterThan(1);
    await notion.pages.create({ parent: { page_id: root }, properties: { title: { title: text('temp') } } });
    const stats = (await (await fetch(`${em.url}/__emulator/stats`)).json()) as {
      calls: Record<string, number>;
      pages: number;
    };
    expect(stats.calls['users.list']).toBe(2);
    expect(stats.pages).toBe(2);
    const reset = (await (
      await fetch(`${em.url}/__emulator/reset`, { method: 'POST', body: '{}' })
    ).json()) as { root_page_id: string };
    expect(reset.root_page_id).toBe(em.rootPageId);
    expect(em.stats().pages).toBe(1);
  });
});
