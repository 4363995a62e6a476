import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serve } from '../../src/cli/commands/serve.js';
import { InvalidConfigError } from '../../src/errors.js';
import { startServe } from './fixtures/start-serve.js';

describe(serve, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notion-sync-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const store = `sqlite:${path.join(dir, 'store.db')}`;

  it('prints its URL, serves until aborted, then stops gracefully', async () => {
    const { url, lines, stop } = await startServe({ store, env: {} });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).toContain('loopback only');
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: 'ready' });
    expect(await (await fetch(`${url}/api/jobs`)).json()).toEqual({ jobs: [] });
    await stop();
    expect(lines.at(-1)).toBe('notion-sync stopped.');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses a non-loopback host without NOTION_SYNC_API_TOKEN', async () => {
    await expect(serve({ port: 0, host: '0.0.0.0', store, env: {}, print: () => {} })).rejects.toBeInstanceOf(
      InvalidConfigError,
    );
  });

  it('requires the token when NOTION_SYNC_API_TOKEN is set', async () => {
    const { url, lines, stop } = await startServe({
      store,
      env: { NOTION_SYNC_API_TOKEN: 'serve-test-token-123456' },
    });
    expect(lines.join('\n')).toContain('API token required');
    expect((await fetch(`${url}/api/jobs`)).status).toBe(401);
    const ok = await fetch(`${url}/api/jobs`, {
      headers: { authorization: 'Bearer serve-test-token-123456' },
    });
    expect(ok.status).toBe(200);
    await stop();
  });
});
