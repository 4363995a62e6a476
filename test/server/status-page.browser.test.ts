import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Playwright from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start-server.js';
import { startServer } from '../../src/server/start-server.js';
import type { ServerFixture } from './fixtures/server-fixture.js';
import { createServerFixture } from './fixtures/server-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-test-token-7c1d0e9f';
const OUTPUT = path.resolve(import.meta.dirname, '../../test-output');

/** playwright-core when installed, else undefined (the test then skips, except on CI where it fails). */
async function loadPlaywright(): Promise<typeof Playwright | undefined> {
  try {
    return await import('playwright-core');
  } catch {
    return undefined;
  }
}

const playwright = await loadPlaywright();
const missing = [
  ...(playwright === undefined ? ['playwright-core (add it as a devDependency)'] : []),
  ...(existsSync(CHROMIUM) ? [] : [`${CHROMIUM} (apt-get install -y chromium)`]),
];
if (missing.length > 0 && process.env['CI'] !== 'true') {
  console.warn(`SKIPPED status page browser test: missing ${missing.join(' and ')}`);
}

describe.skipIf(missing.length > 0 && process.env['CI'] !== 'true')('status page in Chromium', () => {
  let fx: ServerFixture;
  let server: RunningServer;
  let profile: string;

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`CI=true but missing ${missing.join(' and ')}`);
    fx = await createServerFixture();
    server = await startServer({
      store: fx.store,
      engine: fx.engine,
      token: TOKEN,
      port: 0,
      host: '127.0.0.1',
    });
    profile = mkdtempSync(path.join(tmpdir(), 'notion-sync-chromium-'));
    mkdirSync(OUTPUT, { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
    await fx?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('logs in, clicks "Sync now", and sees the run appear and finish', async () => {
    const context = await (playwright as typeof Playwright).chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1100, height: 800 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(server.url);
      await page.fill('#token', TOKEN);
      await page.click('button[type=submit]');
      const row = page.locator('tr[data-job="mirror:tasks"]');
      await row.waitFor();
      expect(await row.locator('.health').textContent()).toBe('INITIALIZING');
      expect(await page.locator('#runs tr').count()).toBe(0);

      await row.locator('button[data-run]').click();
      await page.locator('#notice', { hasText: 'Started mirror:tasks' }).waitFor();
      const runRow = page.locator('#runs tr').first();
      await runRow.locator('.run-status', { hasText: 'running' }).waitFor({ timeout: 10_000 });
      expect(await row.locator('button[data-run]').isDisabled()).toBe(true);

      fx.mirror.release();
      await runRow.locator('.run-status', { hasText: 'succeeded' }).waitFor({ timeout: 10_000 });
      await row.locator('.health', { hasText: 'HEALTHY' }).waitFor({ timeout: 10_000 });
      expect(await row.locator('button[data-run]').isDisabled()).toBe(false);
      expect(await row.textContent()).toContain('+2 ~1');
      const finished = row.locator('td[data-label="Last run"] time');
      expect(await finished.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(await finished.textContent()).toMatch(/^(now|\d+ seconds? ago)$/);

      await row.locator('button[data-action="pause"]').click();
      await row.locator('.health', { hasText: 'DISABLED' }).waitFor({ timeout: 10_000 });
      expect(await row.locator('button[data-run]').isDisabled()).toBe(true);
      await page.locator('#notice', { hasText: 'Paused mirror:tasks' }).waitFor();
      await row.locator('button[data-action="resume"]').click();
      await row.locator('.health', { hasText: 'HEALTHY' }).waitFor({ timeout: 10_000 });
      expect(await row.locator('button[data-run]').isDisabled()).toBe(false);
      await page.screenshot({ path: path.join(OUTPUT, 'status-page.png'), fullPage: true });

      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.locator('thead').first().isVisible()).toBe(false);
      await page.screenshot({ path: path.join(OUTPUT, 'status-page-phone.png'), fullPage: true });
      expect(await page.content()).not.toContain(TOKEN);
    } finally {
      await context.close();
    }
  });
});
