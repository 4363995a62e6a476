import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerFixture } from '../fixtures/server-fixture.js';
import { API_TOKEN, EVERY_CALL, NOTION_TOKEN, plantSecrets } from '../fixtures/planted-secrets.js';

const REPO = path.resolve(import.meta.dirname, '../../..');

describe('notion-sync mcp (stdio)', () => {
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'notion-sync-mcp-'));
    url = `sqlite:${path.join(dir, 'store.db')}`;
    const fx = await createServerFixture(url);
    await plantSecrets(fx);
    await fx.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every tool over a spawned process, logs only to stderr, and leaks no token', async () => {
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      command: path.join(REPO, 'node_modules/.bin/tsx'),
      args: [path.join(REPO, 'src/cli/index.ts'), 'mcp', '--store', url],
      cwd: dir,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? dir,
        NOTION_TOKEN,
        NOTION_SYNC_API_TOKEN: API_TOKEN,
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['notion_history', 'notion_query', 'notion_sync']);
    const answers = [JSON.stringify(tools)];
    for (const call of EVERY_CALL) answers.push(JSON.stringify(await client.callTool(call)));
    await client.close();
    const all = answers.join('\n');
    expect(all).toContain('Write docs');
    expect(all).toContain('\\"jobs\\": []');
    expect(all).toContain('[REDACTED]');
    expect(all).not.toContain(API_TOKEN);
    expect(all).not.toContain(NOTION_TOKEN);
    expect(stderr.join('')).not.toContain(API_TOKEN);
  });
});
