import { describe, expect, it } from 'vitest';
import { ROOT_PAGE_TITLE, SEED_USERS, startEmulator } from '../../src/emulator/index.js';
import { emulatorClient, raw } from './emulator-fixture.js';

describe(startEmulator, () => {
  it('seeds the empty workspace: a root page shared with the integration and person users', async () => {
    const { em, notion, root } = await emulatorClient();
    expect(em.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await notion.pages.retrieve({ page_id: root });
    expect(page).toMatchObject({
      parent: { type: 'workspace', workspace: true },
      properties: { title: { title: [{ plain_text: ROOT_PAGE_TITLE }] } },
    });
    const users = await notion.users.list({});
    expect(users.results.filter((u) => u.type === 'person').map((u) => u.name)).toEqual(
      SEED_USERS.map((u) => u.name),
    );
  });

  it("runs the demo seed's call site (only the empty seed until the demo module exists) and resets", async () => {
    const { em } = await emulatorClient({ seed: 'demo' });
    expect(em.rootPageId).toBeDefined();
    const before = em.rootPageId;
    await em.reset();
    expect(em.rootPageId).not.toBe(before);
    expect(em.stats().pages).toBe(1);
  });

  it('adds latency to API calls and accepts the //v1 paths of a trailing-slash baseUrl', async () => {
    const { em } = await emulatorClient({ latencyMs: 120 });
    const t0 = performance.now();
    const res = await raw(em.url, '//v1/users/me');
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it('stops: the port no longer answers', async () => {
    const em = await startEmulator({ port: 0 });
    await em.stop();
    await expect(fetch(`${em.url}/__emulator/stats`)).rejects.toThrow();
  });
});
