import { APIResponseError, RequestTimeoutError } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { OutcomeUnknownError } from '../../src/notion/gateway-errors.js';
import { describeNotionError, NotionApiError, toNotionSyncError } from '../../src/notion/notion-api-error.js';
import { drive, fakeFetch, notionError } from './fake-fetch.js';
import type { Reply } from './fake-fetch.js';

/** The SDK error a real call gets for `reply` (through the gateway, with retries off). */
async function sdkErrorFor(reply: Reply): Promise<unknown> {
  const clock = new ManualClock(0);
  const gateway = createGateway({
    token: 'ntn_errortesttoken0123456789abcdefgh',
    clock,
    fetch: fakeFetch([reply]),
    retry: { maxAttempts: 1 },
  });
  try {
    await drive(clock, gateway.client.pages.retrieve({ page_id: '1f2e3d4c5b6a79881f2e3d4c5b6a7988' }));
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe(toNotionSyncError, () => {
  it.each([
    [401, 'unauthorized', /token is invalid.*NOTION_TOKEN/],
    [403, 'restricted_resource', /capability/],
    [404, 'object_not_found', /share the page or database with your integration/],
    [400, 'validation_error', /fix what the message names/],
    [409, 'conflict_error', /nothing was written/],
    [429, 'rate_limited', /requestsPerSecond/],
    [500, 'internal_server_error', /status\.notion\.so/],
  ])('maps %i %s to a NotionApiError with a hint', async (status, code, hint) => {
    const sdkError = await sdkErrorFor(notionError(status, code, `Notion says ${code}.`));
    expect(sdkError).toBeInstanceOf(APIResponseError);
    const converted = toNotionSyncError(sdkError);
    expect(converted).toBeInstanceOf(NotionApiError);
    expect(converted).toMatchObject({
      code: 'notion_api',
      status,
      notionCode: code,
      requestId: `req-${code}`,
      cause: sdkError,
    });
    expect((converted as NotionApiError).message).toBe(
      `Notion API ${String(status)} ${code}: Notion says ${code}.`,
    );
    expect((converted as NotionApiError).hint).toMatch(hint);
    expect((converted as NotionApiError).toJSON()).toMatchObject({
      status,
      notionCode: code,
      requestId: `req-${code}`,
    });
    expect(describeNotionError(sdkError)).toMatch(hint);
  });

  it('maps a non-Notion error body (an HTML 502 from a proxy)', async () => {
    const converted = toNotionSyncError(await sdkErrorFor({ status: 502, body: '<html>bad gateway</html>' }));
    expect(converted).toMatchObject({
      code: 'notion_api',
      status: 502,
      notionCode: 'notionhq_client_response_error',
    });
    expect((converted as NotionApiError).hint).toContain('status.notion.so');
  });

  it('maps the SDK timeout, and passes our own and foreign errors through', () => {
    expect(toNotionSyncError(new RequestTimeoutError())).toMatchObject({
      code: 'notion_api',
      status: undefined,
    });
    const ours = new OutcomeUnknownError({
      endpoint: 'pages.create',
      method: 'post',
      path: 'pages',
      pathParams: {},
      parent: undefined,
      reason: 'timeout',
      attempts: 1,
    });
    expect(toNotionSyncError(ours)).toBe(ours);
    const bug = new TypeError('x is undefined');
    expect(toNotionSyncError(bug)).toBe(bug);
    expect(describeNotionError(bug)).toBe('x is undefined');
    expect(describeNotionError('plain')).toBe('plain');
  });
});
