import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/schedule/scheduler.js';
import { createServerApp } from '../../src/server/create-server-app.js';
import { SESSION_COOKIE } from '../../src/server/middleware/auth.js';
import { GatewayMetrics } from '../../src/notion/gateway-metrics.js';
import type { ServerFixture } from './fixtures/server-fixture.js';
import { createServerFixture, PAGE_A, TASKS_DS } from './fixtures/server-fixture.js';

const TOKEN = 'test-api-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe(createServerApp, () => {
  let fx: ServerFixture;
  let app: ReturnType<typeof createServerApp>;

  beforeEach(async () => {
    fx = await createServerFixture();
    app = createServerApp({ store: fx.store, engine: fx.engine, token: TOKEN });
  });
  afterEach(async () => fx.close());

  const get = (path: string, headers: Record<string, string> = auth) => app.request(path, { headers });
  const post = (path: string, body?: unknown, headers: Record<string, string> = auth) =>
    app.request(path, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  describe('auth', () => {
    it.each([
      '/api/jobs',
      '/api/runs',
      '/api/jobs/mirror:tasks',
      `/api/pages/${PAGE_A}/history`,
      '/metrics',
      '/api/databases',
    ])('refuses %s without a token or with a wrong one (401 JSON)', async (path) => {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-token-000000000' },
        { authorization: TOKEN },
      ] as Record<string, string>[]) {
        const res = await get(path, headers);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('unauthorized');
        expect(JSON.stringify(body)).not.toContain(TOKEN);
      }
    });

    it('refuses a trigger and an MCP call without the token', async () => {
      expect((await post('/api/jobs/mirror:tasks/run', undefined, {})).status).toBe(401);
      expect((await post('/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, {})).status).toBe(401);
    });

    it('leaves /healthz and /readyz open', async () => {
      const health = await get('/healthz', {});
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await get('/readyz', {});
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { store: true, scheduler: true } });
    });

    it('serves everything without auth when no token is set', async () => {
      const open = createServerApp({ store: fx.store, engine: fx.engine });
      expect((await open.request('/api/jobs')).status).toBe(200);
      expect((await open.request('/')).status).toBe(200);
    });

    it('logs the status page in with a form that sets an HttpOnly SameSite=Strict cookie', async () => {
      const form = await get('/', {});
      expect(form.status).toBe(401);
      expect(await form.text()).toContain('<form method="post" action="/login">');
      const wrong = await app.request('/login', {
        method: 'POST',
        body: new URLSearchParams({ token: 'nope' }),
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('set-cookie')).toBeNull();
      const login = await app.request('/login', {
        method: 'POST',
        body: new URLSearchParams({ token: TOKEN }),
      });
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[0-9a-f]{64};`));
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).not.toContain(TOKEN);
      const session = { cookie: cookie.split(';')[0] as string };
      expect((await get('/', session)).status).toBe(200);
      expect((await get('/api/jobs', session)).status).toBe(200);
    });
  });

  describe('jobs', () => {
    it('lists jobs with health, last and next run, counts and last error', async () => {
      fx.mirror.autoFinish = true;
      const res = await post('/api/jobs/mirror:tasks/run');
      expect(res.status).toBe(202);
      await waitFor(async () => (fx.engine.status()[0]?.running ? undefined : true), 'run end');
      const body = (await (await get('/api/jobs')).json()) as { jobs: Record<string, unknown>[] };
      expect(body.jobs.map((j) => [j['id'], j['health']])).toEqual([
        ['mirror:tasks', 'HEALTHY'],
        ['sync:github-issues', 'INITIALIZING'],
      ]);
      expect(body.jobs[0]).toMatchObject({
        kind: 'mirror',
        name: 'tasks',
        running: false,
        nextRunAt: null,
        consecutiveFailures: 0,
        counts: { created: 2, updated: 1, deleted: 0 },
        apiCalls: 3,
        lastError: null,
        lastRun: { status: 'succeeded' },
      });
    });

    it('shows one job, and 404 not_found for an unknown id', async () => {
      const one = await get('/api/jobs/sync:github-issues');
      expect(one.status).toBe(200);
      expect(((await one.json()) as { job: { id: string } }).job.id).toBe('sync:github-issues');
      const missing = await get('/api/jobs/mirror:nope');
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect((await post('/api/jobs/mirror:nope/run')).status).toBe(404);
    });

    it('answers a trigger at once with the run id (202), and 409 already_running while it runs', async () => {
      const first = await post('/api/jobs/mirror:tasks/run');
      expect(first.status).toBe(202);
      const started = (await first.json()) as { jobId: string; runId: string };
      expect(started.jobId).toBe('mirror:tasks');
      expect(started.runId).toMatch(/^[0-9a-f-]{36}$/);
      const second = await post('/api/jobs/mirror:tasks/run');
      expect(second.status).toBe(409);
      const refused = (await second.json()) as { error: { code: string; hint: string } };
      expect(refused.error.code).toBe('already_running');
      expect(refused.error.hint).toBeTruthy();
      const running = (await (await get(`/api/runs/${started.runId}`)).json()) as { run: { status: string } };
      expect(running.run.status).toBe('running');
      fx.mirror.release();
      const done = await waitFor(async () => {
        const r = (await (await get(`/api/runs/${started.runId}`)).json()) as { run: { status: string } };
        return r.run.status === 'running' ? undefined : r.run;
      }, 'run end');
      expect(done.status).toBe('succeeded');
      await waitFor(async () => (fx.engine.status()[0]?.running ? undefined : true), 'engine idle');
      expect((await post('/api/jobs/mirror:tasks/run')).status).toBe(202);
    });

    it("reports a failed run with the scheduler's health and its last error", async () => {
      fx.sync.fail = true;
      fx.sync.autoFinish = true;
      await post('/api/jobs/sync:github-issues/run');
      const job = await waitFor(async () => {
        const j = (
          (await (await get('/api/jobs/sync:github-issues')).json()) as { job: Record<string, unknown> }
        ).job;
        return j['consecutiveFailures'] === 1 ? j : undefined;
      }, 'failure');
      expect(['WARNING', 'ERROR']).toContain(job['health']);
      expect(job).toMatchObject({
        consecutiveFailures: 1,
        lastRun: { status: 'failed', error: { code: 'not_found' } },
        lastError: {
          error: { code: 'not_found', message: 'Database gone.', hint: 'Share it with the integration.' },
        },
      });
    });
  });

  describe('pause and resume', () => {
    it('pauses a job in the store (triggers refused, schedulers of other processes see it) and resumes it', async () => {
      const paused = await post('/api/jobs/mirror:tasks/pause');
      expect(paused.status).toBe(200);
      expect(((await paused.json()) as { job: unknown }).job).toMatchObject({
        id: 'mirror:tasks',
        disabled: true,
        health: 'DISABLED',
      });
      const refused = await post('/api/jobs/mirror:tasks/run');
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('disabled');
      expect((await fx.store.syncState.get('schedule:mirror:tasks'))?.status).toBe('paused');
      const other = createScheduler({ store: fx.store, jobs: [fx.mirror] });
      other.start();
      expect(await other.trigger('mirror:tasks')).toEqual({ started: false, reason: 'disabled' });
      await other.stop();

      const resumed = await post('/api/jobs/mirror:tasks/resume');
      expect(resumed.status).toBe(200);
      expect(((await resumed.json()) as { job: unknown }).job).toMatchObject({ disabled: false });
      expect((await fx.store.syncState.get('schedule:mirror:tasks'))?.status).not.toBe('paused');
      fx.mirror.autoFinish = true;
      expect((await post('/api/jobs/mirror:tasks/run')).status).toBe(202);
      expect((await post('/api/jobs/mirror:nope/pause')).status).toBe(404);
      expect((await post('/api/jobs/mirror:tasks/resume', undefined, {})).status).toBe(401);
    });
  });

  describe('runs', () => {
    async function seedRuns(n: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        const run = await fx.store.runs.start({
          kind: 'mirror',
          target: i % 2 ? 'tasks' : 'other',
          trigger: 'schedule',
        });
        await fx.store.runs.finish(run.id, { status: 'succeeded' });
      }
    }

    it('pages through runs newest first with a cursor, and filters by job', async () => {
      await seedRuns(7);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page = (await (await get(`/api/runs?limit=3${q}`)).json()) as {
          runs: { id: string; startedAt: string }[];
          nextCursor: string | null;
        };
        expect(page.runs.length).toBeLessThanOrEqual(3);
        seen.push(...page.runs.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      const all = await fx.store.runs.list({ limit: 100 });
      expect(seen).toEqual(all.map((r) => r.id));
      const tasks = (await (await get('/api/runs?job=mirror:tasks')).json()) as {
        runs: { target: string }[];
      };
      expect(tasks.runs).toHaveLength(3);
      expect(tasks.runs.every((r) => r.target === 'tasks')).toBe(true);
    });

    it('validates the query string with 400 naming the field', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=100000', 'limit'],
        ['cursor=%21%21', 'cursor'],
      ] as const) {
        const res = await get(`/api/runs?${query}`);
        expect(res.status).toBe(400);
        const body = (await res.json()) as {
          error: { code: string; message: string; issues: { path: string }[] };
        };
        expect(body.error.code).toBe('invalid_request');
        expect(body.error.issues.map((i) => i.path)).toContain(field);
        expect(body.error.message).toContain(field);
      }
      expect((await get('/api/runs?job=mirror:nope')).status).toBe(404);
    });

    it('reads one run and its events; 404 for an unknown run', async () => {
      fx.mirror.autoFinish = true;
      const { runId } = (await (await post('/api/jobs/mirror:tasks/run')).json()) as { runId: string };
      await waitFor(async () => ((await fx.store.runs.get(runId))?.finishedAt ? true : undefined), 'run end');
      const events = (await (await get(`/api/runs/${runId}/events`)).json()) as {
        events: { seq: number; message: string }[];
      };
      expect(events.events.map((e) => [e.seq, e.message])).toEqual([
        [1, 'run started'],
        [2, 'batch committed'],
      ]);
      const after = (await (await get(`/api/runs/${runId}/events?after=1`)).json()) as { events: unknown[] };
      expect(after.events).toHaveLength(1);
      expect((await get('/api/runs/no-such-run')).status).toBe(404);
      expect((await get('/api/runs/no-such-run/events')).status).toBe(404);
    });
  });

  describe('pages', () => {
    it('reads a page history by id or Notion URL', async () => {
      const url = `https://www.notion.so/acme/Write-docs-${PAGE_A.replace(/-/g, '')}?pvs=4`;
      for (const id of [PAGE_A, PAGE_A.replace(/-/g, ''), url]) {
        const res = await get(`/api/pages/${encodeURIComponent(id)}/history`);
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          pageId: string;
          title: string;
          versions: { version: number; changeKind: string; changedProperties: string[] }[];
        };
        expect(body.pageId).toBe(PAGE_A);
        expect(body.title).toBe('Write docs');
        expect(body.versions.map((v) => [v.version, v.changeKind])).toEqual([
          [1, 'created'],
          [2, 'updated'],
        ]);
        expect(body.versions[1]?.changedProperties).toEqual(['Points']);
      }
    });

    it('answers 400 invalid_id for garbage and 404 for a page not in the replica', async () => {
      const bad = await get('/api/pages/not-an-id/history');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_id');
      const missing = await get(`/api/pages/${'c'.repeat(32)}/history`);
      expect(missing.status).toBe(404);
    });
  });

  describe('replica', () => {
    it('lists databases with their view columns and runs a structured query', async () => {
      const dbs = (await (await get('/api/databases')).json()) as {
        databases: { viewName: string; dataSourceId: string; columns: { name: string }[] }[];
      };
      expect(dbs.databases).toHaveLength(1);
      expect(dbs.databases[0]?.viewName).toBe('tasks');
      expect(dbs.databases[0]?.columns.map((c) => c.name)).toEqual([
        'page_id',
        'title',
        'page_created_time',
        'page_last_edited_time',
        'name',
        'done',
        'points',
        'status',
        'tags',
      ]);
      const res = await post('/api/query', {
        view: TASKS_DS,
        where: [
          { column: 'points', op: '>', value: 4 },
          { column: 'done', op: '=', value: true },
        ],
        columns: ['title', 'points'],
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        viewName: 'tasks',
        columns: ['title', 'points'],
        rows: [{ title: 'Write docs', points: 5 }],
      });
      const like = (await (
        await post('/api/query', {
          view: 'tasks',
          where: [{ column: 'title', op: 'contains', value: '100%' }],
          columns: ['title'],
        })
      ).json()) as { rows: unknown[] };
      expect(like.rows).toEqual([{ title: 'Ship 100%' }]);
    });

    it('refuses unknown columns (400 naming the field), unknown views (404) and bad input (400)', async () => {
      const bad = await post('/api/query', {
        view: 'tasks',
        where: [{ column: 'points; drop table runs', op: '=', value: 1 }],
      });
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { error: { issues: { path: string }[] } };
      expect(body.error.issues.map((i) => i.path)).toEqual(['where[0].column']);
      expect((await post('/api/query', { view: 'nope' })).status).toBe(404);
      const limit = await post('/api/query', { view: 'tasks', limit: 501 });
      expect(limit.status).toBe(400);
      expect(((await limit.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(
        'limit',
      );
      expect(
        (await post('/api/query', { view: 'tasks', where: [{ column: 'title', op: 'like', value: 'x' }] }))
          .status,
      ).toBe(400);
    });
  });

  describe('metrics', () => {
    it('exposes runs by job and status, rows written, API calls, 429s and replica lag', async () => {
      fx.mirror.autoFinish = true;
      await post('/api/jobs/mirror:tasks/run');
      await waitFor(async () => (fx.engine.status()[0]?.running ? undefined : true), 'run end');
      const metrics = new GatewayMetrics();
      const withGateway = createServerApp({
        store: fx.store,
        engine: fx.engine,
        token: TOKEN,
        gatewayMetrics: () => metrics.snapshot(),
      });
      const res = await withGateway.request('/metrics', { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const text = await res.text();
      expect(text).toContain('notion_sync_runs_total{kind="mirror",target="tasks",status="succeeded"} 1');
      expect(text).toContain(
        'notion_sync_rows_written_total{kind="mirror",target="tasks",status="succeeded",op="created"} 2',
      );
      expect(text).toContain(
        'notion_sync_run_api_calls_total{kind="mirror",target="tasks",status="succeeded"} 3',
      );
      expect(text).toContain('# TYPE notion_sync_api_rate_limited_total counter');
      expect(text).toMatch(/notion_sync_replica_lag_seconds\{job="mirror:tasks",kind="mirror"\} \d+\.\d{3}/);
      expect(text).toContain('notion_sync_job_running{job="sync:github-issues",kind="sync"} 0');
      for (const line of text.trim().split('\n'))
        expect(line).toMatch(/^(# (HELP|TYPE) \S+ .+|[a-z_]+(\{.*\})? -?[\d.]+)$/);
    });
  });

  describe('errors', () => {
    it('answers unknown endpoints with 404 JSON', async () => {
      const res = await get('/api/nothing');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    });

    it('reports readiness 503 when the scheduler is stopped', async () => {
      let started = true;
      app = createServerApp({ store: fx.store, engine: fx.engine, token: TOKEN, isReady: () => started });
      expect((await get('/readyz', {})).status).toBe(200);
      started = false;
      const res = await get('/readyz', {});
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not_ready', checks: { store: true, scheduler: false } });
    });
  });
});
