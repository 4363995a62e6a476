import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerApp } from '../../../src/server/create-server-app.js';
import { EngineApi } from '../../../src/server/engine-api.js';
import { createMcpServer } from '../../../src/server/mcp/create-mcp-server.js';
import type { ServerFixture } from '../fixtures/server-fixture.js';
import { createServerFixture, PAGE_A, TASKS_DS } from '../fixtures/server-fixture.js';
import { API_TOKEN, EVERY_CALL, NOTION_TOKEN, plantSecrets } from '../fixtures/planted-secrets.js';

function text(result: unknown): string {
  const content = (result as CallToolResult).content;
  const first = content[0];
  if (first?.type !== 'text') throw new Error('expected a text answer');
  return first.text;
}

function json(result: unknown): Record<string, unknown> {
  return JSON.parse(text(result)) as Record<string, unknown>;
}

async function waitIdle(fx: ServerFixture): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (fx.engine.status().every((j) => j.running === null)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('jobs still running');
}

describe(createMcpServer, () => {
  let fx: ServerFixture;
  let client: Client;

  beforeEach(async () => {
    fx = await createServerFixture();
    const server = createMcpServer(new EngineApi({ store: fx.store, engine: fx.engine }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(clientSide);
  });
  afterEach(async () => {
    await client.close();
    await fx.close();
  });

  it('lists three tools with described input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['notion_history', 'notion_query', 'notion_sync']);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(100);
      const properties = tool.inputSchema.properties as Record<string, { description?: string }>;
      for (const [name, schema] of Object.entries(properties)) {
        expect(schema.description, `${tool.name}.${name}`).toBeTruthy();
      }
    }
    const sync = tools.find((t) => t.name === 'notion_sync');
    expect(sync?.inputSchema.required).toEqual(['action']);
    expect(JSON.stringify(sync?.inputSchema)).toContain('list_databases');
  });

  it('notion_sync status, sync (one job, all jobs, already running) and list_databases', async () => {
    const one = json(
      await client.callTool({ name: 'notion_sync', arguments: { action: 'sync', job: 'mirror:tasks' } }),
    );
    expect(one).toMatchObject({ started: [{ jobId: 'mirror:tasks' }], refused: [] });
    const again = await client.callTool({
      name: 'notion_sync',
      arguments: { action: 'sync', job: 'mirror:tasks' },
    });
    expect(again.isError).toBe(true);
    expect(json(again)).toMatchObject({ error: { code: 'already_running' } });
    const all = json(await client.callTool({ name: 'notion_sync', arguments: { action: 'sync' } }));
    expect(all).toMatchObject({
      started: [{ jobId: 'sync:github-issues' }],
      refused: [{ jobId: 'mirror:tasks', error: { code: 'already_running' } }],
    });
    const status = json(await client.callTool({ name: 'notion_sync', arguments: { action: 'status' } }));
    expect((status['jobs'] as { id: string; running: boolean }[]).map((j) => [j.id, j.running])).toEqual([
      ['mirror:tasks', true],
      ['sync:github-issues', true],
    ]);
    fx.mirror.release();
    fx.sync.release();
    await waitIdle(fx);
    const job = json(
      await client.callTool({ name: 'notion_sync', arguments: { action: 'status', job: 'mirror:tasks' } }),
    );
    expect(job['job']).toMatchObject({ health: 'HEALTHY', running: false, counts: { created: 2 } });
    const unknown = await client.callTool({
      name: 'notion_sync',
      arguments: { action: 'status', job: 'mirror:x' },
    });
    expect(unknown.isError).toBe(true);
    expect(json(unknown)).toMatchObject({ error: { code: 'not_found' } });
    const dbs = json(await client.callTool({ name: 'notion_sync', arguments: { action: 'list_databases' } }));
    expect(dbs['databases']).toMatchObject([{ viewName: 'tasks', dataSourceId: TASKS_DS }]);
  });

  it('notion_sync pause refuses syncs of the job until resume, and both need a job', async () => {
    const call = async (args: Record<string, unknown>) =>
      client.callTool({ name: 'notion_sync', arguments: args });
    const paused = json(await call({ action: 'pause', job: 'mirror:tasks' }));
    expect(paused['job']).toMatchObject({ id: 'mirror:tasks', disabled: true, health: 'DISABLED' });
    const refused = await call({ action: 'sync', job: 'mirror:tasks' });
    expect(json(refused)).toMatchObject({ error: { code: 'disabled' } });
    const noJob = await call({ action: 'resume' });
    expect(noJob.isError).toBe(true);
    expect(json(noJob)).toMatchObject({ error: { code: 'invalid_request' } });
    const resumed = json(await call({ action: 'resume', job: 'mirror:tasks' }));
    expect(resumed['job']).toMatchObject({ disabled: false });
    expect(json(await call({ action: 'sync', job: 'mirror:tasks' }))).toMatchObject({
      started: [{ jobId: 'mirror:tasks' }],
    });
    fx.mirror.release();
    await waitIdle(fx);
  });

  it('notion_history returns versions by id or URL, optionally only the newest', async () => {
    const url = `https://www.notion.so/Write-docs-${PAGE_A.replace(/-/g, '')}`;
    const all = json(await client.callTool({ name: 'notion_history', arguments: { page: url } }));
    expect((all['versions'] as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
    const newest = json(
      await client.callTool({ name: 'notion_history', arguments: { page: PAGE_A, limit: 1 } }),
    );
    expect((newest['versions'] as { version: number; properties: { Points: number } }[])[0]).toMatchObject({
      version: 2,
      properties: { Points: 5 },
    });
    const bad = await client.callTool({ name: 'notion_history', arguments: { page: 'hello' } });
    expect(bad.isError).toBe(true);
    expect(json(bad)).toMatchObject({ error: { code: 'invalid_id' } });
  });

  it('notion_query filters, orders and refuses unknown columns and out-of-range limits', async () => {
    const rows = json(
      await client.callTool({
        name: 'notion_query',
        arguments: {
          view: 'tasks',
          where: [{ column: 'tags', op: 'contains', value: 'DOCS' }],
          columns: ['title', 'points', 'done'],
          order_by: [{ column: 'points', direction: 'desc' }],
        },
      }),
    );
    expect(rows).toEqual({
      viewName: 'tasks',
      columns: ['title', 'points', 'done'],
      rows: [{ title: 'Write docs', points: 5, done: 1 }],
    });
    const ordered = json(
      await client.callTool({
        name: 'notion_query',
        arguments: {
          view: 'tasks',
          columns: ['title'],
          order_by: [{ column: 'points', direction: 'desc' }],
          limit: 1,
        },
      }),
    );
    expect(ordered['rows']).toEqual([{ title: 'Ship 100%' }]);
    const empty = json(
      await client.callTool({
        name: 'notion_query',
        arguments: { view: 'tasks', where: [{ column: 'status', op: 'is_null', value: true }] },
      }),
    );
    expect(empty['rows']).toEqual([]);
    const bad = await client.callTool({
      name: 'notion_query',
      arguments: { view: 'tasks', order_by: [{ column: 'x"; drop table pages; --' }] },
    });
    expect(bad.isError).toBe(true);
    expect(json(bad)).toMatchObject({
      error: { code: 'invalid_config', issues: [{ path: 'order_by[0].column' }] },
    });
    const tooMany = await client.callTool({
      name: 'notion_query',
      arguments: { view: 'tasks', limit: 10_000 },
    });
    expect(tooMany.isError).toBe(true);
    expect(text(tooMany)).toContain('limit');
    expect((await fx.store.replica.getPage(PAGE_A))?.title).toBe('Write docs');
  });
});

describe('MCP over streamable HTTP at /mcp', () => {
  let fx: ServerFixture;
  afterEach(async () => fx.close());

  it('serves the tools behind the token and never echoes a secret', async () => {
    fx = await createServerFixture();
    fx.mirror.autoFinish = true;
    fx.sync.autoFinish = true;
    await plantSecrets(fx);
    const app = createServerApp({ store: fx.store, engine: fx.engine, token: API_TOKEN });
    const transport = new StreamableHTTPClientTransport(new URL('http://127.0.0.1/mcp'), {
      fetch: async (url, init) => app.request(String(url), init),
      requestInit: { headers: { authorization: `Bearer ${API_TOKEN}` } },
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    const answers: string[] = [JSON.stringify(await client.listTools())];
    for (const call of EVERY_CALL) answers.push(JSON.stringify(await client.callTool(call)));
    await client.close();
    const all = answers.join('\n');
    expect(all).toContain('[REDACTED]');
    expect(all).toContain('Write docs');
    expect(all).not.toContain(API_TOKEN);
    expect(all).not.toContain(NOTION_TOKEN);
    const api = await app.request('/api/runs', { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(await api.text()).not.toContain(API_TOKEN);
  });
});
