import { APIResponseError, Client, LogLevel, UnknownHTTPResponseError } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, raw, text } from './emulator-fixture.js';

describe('errors', () => {
  it('renders Notion error bodies with a request id header and body field', async () => {
    const { em } = await emulatorClient();
    const res = await raw(em.url, '/v1/pages/0123456789abcdef0123456789abcdef');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ object: 'error', status: 404, code: 'object_not_found' });
    expect(res.body.request_id).toBe(res.headers.get('x-notion-request-id'));
  });

  it('answers 401 for a wrong token when one is configured, and for a missing bearer', async () => {
    const { em, notion } = await emulatorClient({ token: 'secret_right' });
    expect((await notion.users.me({})).type).toBe('bot');
    const wrong = new Client({
      auth: 'secret_wrong',
      baseUrl: em.url,
      retry: false,
      logLevel: LogLevel.ERROR,
    });
    const e = await wrong.users.me({}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(APIResponseError);
    expect((e as APIResponseError).status).toBe(401);
    expect((e as APIResponseError).code).toBe('unauthorized');
    const none = await raw(em.url, '/v1/users/me', { headers: { authorization: '' } });
    expect(none.status).toBe(401);
  });

  it('answers 400 missing_version without Notion-Version, and validation_error for unknown versions', async () => {
    const { em } = await emulatorClient();
    const res = await fetch(`${em.url}/v1/users/me`, { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'missing_version',
      message:
        'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
    });
    const old = await raw(em.url, '/v1/users/me', { headers: { 'notion-version': '2021-05-13' } });
    expect(old.body.code).toBe('validation_error');
    // The SDK does not know missing_version: it surfaces as UnknownHTTPResponseError.
    const sdk = new Client({
      auth: 'x',
      baseUrl: em.url,
      retry: false,
      logLevel: LogLevel.ERROR,
      fetch: (url, init) => {
        const headers = { ...(init?.headers as Record<string, string>) };
        delete headers['Notion-Version'];
        return fetch(url, { ...init, headers });
      },
    });
    expect(await sdk.users.me({}).catch((x: unknown) => x)).toBeInstanceOf(UnknownHTTPResponseError);
  });

  it('answers invalid_json, invalid_request_url and body validation errors', async () => {
    const { em, root } = await emulatorClient();
    const badJson = await raw(em.url, '/v1/pages', { method: 'POST', body: '{"parent":' });
    expect(badJson.body).toMatchObject({
      status: 400,
      code: 'invalid_json',
      message: 'Error parsing JSON body.',
    });
    const badUrl = await raw(em.url, '/v1/nothing/here');
    expect(badUrl.body).toMatchObject({ status: 400, code: 'invalid_request_url' });
    const noParent = await raw(em.url, '/v1/pages', {
      method: 'POST',
      body: JSON.stringify({ properties: {} }),
    });
    expect(noParent.body).toMatchObject({
      code: 'validation_error',
      message: 'body failed validation: body.parent should be defined, instead was `undefined`.',
    });
    const badId = await raw(em.url, '/v1/pages', {
      method: 'POST',
      body: JSON.stringify({ parent: { page_id: 'nope' } }),
    });
    expect(badId.body.message).toContain('body.parent.page_id should be a valid uuid');
    const big = await raw(em.url, `/v1/blocks/${root}/children`, {
      method: 'PATCH',
      body: JSON.stringify({ children: [{ paragraph: { rich_text: text('x'.repeat(600_000)) } }] }),
    });
    expect(big.body.code).toBe('validation_error');
    expect(big.body.message).toContain('500000');
  });

  it('answers 429 rate_limited with an integer Retry-After and the reason, per token', async () => {
    const { em } = await emulatorClient({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
    const a = [
      await raw(em.url, '/v1/users/me'),
      await raw(em.url, '/v1/users/me'),
      await raw(em.url, '/v1/users/me'),
    ];
    expect(a.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(a[2]!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(a[2]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(a[2]!.body).toMatchObject({
      code: 'rate_limited',
      additional_data: { rate_limit_reason: 'public_api_request_rate_limit' },
    });
    const other = await raw(em.url, '/v1/users/me', { headers: { authorization: 'Bearer other_token' } });
    expect(other.status).toBe(200);
    expect(em.stats().rateLimited).toBe(1);
  });
});
