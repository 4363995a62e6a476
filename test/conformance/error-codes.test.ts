/**
 * Every error status of the "Emulator" issue as the official SDK sees it: the class it throws, the code,
 * and the headers it needs (Retry-After on 429 and 529). Real triggers where the emulator has one (bad
 * JSON, bad URL, missing version, bad token, unknown and unshared ids, rate limit), faults for the
 * statuses only Notion's servers produce (403 capability, 409, 5xx, 529). Expected classes follow the
 * SDK's errors.js: `APIResponseError` only for codes in `APIErrorCode`, `UnknownHTTPResponseError`
 * otherwise (502 `bad_gateway`, `missing_version`) [notion-api-facts.md §5].
 */
import { APIResponseError, Client, LogLevel, UnknownHTTPResponseError } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, raw, text } from '../emulator/emulator-fixture.js';

/** [status, code the body carries, SDK error class, Retry-After expected]. */
const FAULT_STATUSES: readonly [
  number,
  string,
  typeof APIResponseError | typeof UnknownHTTPResponseError,
  boolean,
][] = [
  [403, 'restricted_resource', APIResponseError, false],
  [409, 'conflict_error', APIResponseError, false],
  [429, 'rate_limited', APIResponseError, true],
  [500, 'internal_server_error', APIResponseError, false],
  [502, 'bad_gateway', UnknownHTTPResponseError, false],
  [503, 'service_unavailable', APIResponseError, false],
  [504, 'gateway_timeout', APIResponseError, false],
  [529, 'service_overload', APIResponseError, true],
];

describe('error answers through the SDK', () => {
  it.each(FAULT_STATUSES)('%i %s', async (status, code, errorClass, retryAfter) => {
    const { em, notion, root } = await emulatorClient();
    const before = await notion.pages.retrieve({ page_id: root });
    em.faults.add({
      route: 'pages.update',
      kind: 'error',
      status,
      ...(retryAfter ? { retryAfterSeconds: 2 } : {}),
      times: 2,
    });
    const error = await notion.pages
      .update({ page_id: root, icon: { type: 'emoji', emoji: '🧪' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as APIResponseError).status).toBe(status);
    if (errorClass === APIResponseError) expect((error as APIResponseError).code).toBe(code);
    const answer = await raw(em.url, `/v1/pages/${root}`, { method: 'PATCH', body: '{}' });
    expect(answer.body).toMatchObject({ object: 'error', status, code });
    expect(answer.body.request_id).toBe(answer.headers.get('x-notion-request-id'));
    expect(answer.headers.get('retry-after')).toBe(retryAfter ? '2' : null);
    // A fault is not a write: the page is unchanged.
    expect(await notion.pages.retrieve({ page_id: root })).toEqual(before);
  });

  it('400 invalid_json, invalid_request_url, validation_error and missing_version', async () => {
    const { em, notion, root } = await emulatorClient();
    const badJson = await raw(em.url, '/v1/pages', { method: 'POST', body: '{' });
    expect([badJson.status, badJson.body.code]).toEqual([400, 'invalid_json']);
    const badUrl = await raw(em.url, '/v1/pages/x/y/z');
    expect([badUrl.status, badUrl.body.code]).toEqual([400, 'invalid_request_url']);
    const invalid = await notion.pages
      .create({
        parent: { page_id: root },
        properties: { title: { title: text('x') } },
        icon: { emoji: 7 },
      } as never)
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(APIResponseError);
    expect((invalid as APIResponseError).code).toBe('validation_error');
    const noVersion = await fetch(`${em.url}/v1/users/me`, { headers: { authorization: 'Bearer x' } });
    expect([noVersion.status, ((await noVersion.json()) as { code: string }).code]).toEqual([
      400,
      'missing_version',
    ]);
  });

  it('401 unauthorized for a wrong token', async () => {
    const { em } = await emulatorClient({ token: 'secret_right' });
    const wrong = new Client({
      auth: 'secret_wrong',
      baseUrl: em.url,
      retry: false,
      logLevel: LogLevel.ERROR,
    });
    const error = await wrong.search({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIResponseError);
    expect([(error as APIResponseError).status, (error as APIResponseError).code]).toEqual([
      401,
      'unauthorized',
    ]);
  });

  it('404 object_not_found alike for unknown and unshared pages, on every page and block endpoint', async () => {
    const { em, notion, root } = await emulatorClient();
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('secret') } },
      children: [{ paragraph: { rich_text: text('body') } }],
    });
    em.setUnshared(page.id, true);
    const unknown = '0123456789abcdef0123456789abcdef';
    for (const id of [page.id, unknown]) {
      const calls: (() => Promise<unknown>)[] = [
        () => notion.pages.retrieve({ page_id: id }),
        () => notion.pages.update({ page_id: id, properties: {} }),
        () => notion.pages.properties.retrieve({ page_id: id, property_id: 'title' }),
        () => notion.blocks.retrieve({ block_id: id }),
        () => notion.blocks.children.list({ block_id: id }),
        () =>
          notion.blocks.children.append({
            block_id: id,
            children: [{ paragraph: { rich_text: text('x') } }],
          }),
        () => notion.blocks.delete({ block_id: id }),
        () => notion.pages.retrieveMarkdown({ page_id: id }),
      ];
      for (const call of calls) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(APIResponseError);
        expect((error as APIResponseError).code).toBe('object_not_found');
        expect((error as APIResponseError).message).toMatch(
          /Make sure the relevant pages and databases are shared/,
        );
      }
    }
    expect((await notion.search({ query: 'secret' })).results).toHaveLength(0);
  });

  it('429 from the rate limiter carries an integer Retry-After the SDK can wait for', async () => {
    const { em, notion } = await emulatorClient({ rateLimit: { requestsPerSecond: 1, burst: 1 } });
    await notion.users.me({});
    const error = await notion.users.me({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIResponseError);
    expect((error as APIResponseError).code).toBe('rate_limited');
    const headers = (error as APIResponseError).headers as Headers;
    expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(em.stats().rateLimited).toBe(1);
  });
});

describe('schema option updates through the SDK', () => {
  it('replaces select, multi_select and status options; writes create select and multi_select options only', async () => {
    const { notion, root } = await emulatorClient();
    const db = await notion.databases.create({
      parent: { type: 'page_id', page_id: root },
      title: text('Options'),
      initial_data_source: {
        properties: {
          Name: { title: {} },
          Labels: { multi_select: { options: [{ name: 'a', color: 'red' }, { name: 'b' }] } },
          Stage: { status: {} },
        },
      },
    });
    const ds = ('data_sources' in db && db.data_sources[0]!.id) as string;
    const row = await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Name: { title: text('r') }, Labels: { multi_select: [{ name: 'a' }, { name: 'new' }] } },
    });
    const options = async (): Promise<string[]> => {
      const got = await notion.dataSources.retrieve({ data_source_id: ds });
      const labels = 'properties' in got ? got.properties['Labels'] : undefined;
      return labels?.type === 'multi_select' ? labels.multi_select.options.map((o) => o.name) : [];
    };
    expect(await options()).toEqual(['a', 'b', 'new']);
    await notion.dataSources.update({
      data_source_id: ds,
      properties: { Labels: { multi_select: { options: [{ name: 'new' }, { name: 'c', color: 'blue' }] } } },
    });
    expect(await options()).toEqual(['new', 'c']);
    const after = await notion.pages.retrieve({ page_id: row.id });
    const labels = 'properties' in after ? after.properties['Labels'] : undefined;
    expect(labels?.type === 'multi_select' && labels.multi_select.map((o) => o.name)).toEqual(['new']);
    const status = await notion.pages
      .update({ page_id: row.id, properties: { Stage: { status: { name: 'Invented' } } } })
      .catch((e: unknown) => e);
    expect((status as APIResponseError).code).toBe('validation_error');
    await notion.dataSources.update({
      data_source_id: ds,
      properties: {
        Stage: {
          status: { options: [{ name: 'Not started' }, { name: 'Invented', color: 'pink' }] },
        } as never,
      },
    });
    const updated = await notion.pages.update({
      page_id: row.id,
      properties: { Stage: { status: { name: 'Invented' } } },
    });
    expect('properties' in updated && updated.properties['Stage']).toMatchObject({
      status: { name: 'Invented', color: 'pink' },
    });
  });
});
