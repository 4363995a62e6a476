import { describe, expect, it } from 'vitest';
import type { JobView } from '../../src/server/engine-api.js';
import { escapeHtml, renderLoginPage, renderStatusPage } from '../../src/server/status-page.js';
import type { RunRecord } from '../../src/store/runs-repository.js';
import { ZERO_COUNTS } from '../../src/store/runs-repository.js';

const EVIL = `<img src=x onerror="alert('x')">&`;

describe(renderStatusPage, () => {
  it('escapes every value taken from jobs and runs', () => {
    const job: JobView = {
      id: `mirror:${EVIL}`,
      kind: 'mirror',
      name: EVIL,
      schedule: { type: 'manual' },
      health: 'ERROR',
      disabled: false,
      running: false,
      runningDetail: null,
      lastRun: { id: 'r1', status: 'failed', startedAt: EVIL, finishedAt: EVIL, error: null },
      nextRunAt: null,
      consecutiveFailures: 1,
      counts: { ...ZERO_COUNTS },
      apiCalls: 0,
      blockedBy: [
        {
          name: EVIL,
          holder: EVIL,
          host: EVIL,
          pid: 1,
          runId: EVIL,
          since: EVIL,
          expiresAt: EVIL,
          holderState: 'gone',
        },
      ],
      lastError: { runId: 'r1', at: null, error: { code: 'notion_api', message: EVIL } },
    };
    const run: RunRecord = {
      id: `${EVIL}-run`,
      kind: 'mirror',
      target: EVIL,
      trigger: EVIL,
      startedAt: EVIL,
      finishedAt: null,
      status: 'failed',
      counts: { ...ZERO_COUNTS },
      apiCalls: 0,
      error: null,
    };
    const html = renderStatusPage({ jobs: [job], runs: [run], nowMs: 0 });
    const body = html.slice(0, html.indexOf('<script>'));
    expect(body).not.toContain('<img');
    expect(body).not.toContain(`"alert`);
    expect(body).toContain(escapeHtml(EVIL));
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('Sync now');
  });

  it('says so when no job is configured, and the login page has a password field', () => {
    expect(renderStatusPage({ jobs: [], runs: [], nowMs: 0 })).toContain('No jobs configured');
    expect(renderLoginPage({ failed: true })).toContain('type="password"');
    expect(renderLoginPage({ failed: true })).toContain('Wrong token.');
    expect(renderLoginPage({ failed: false })).not.toContain('Wrong token.');
  });
});

describe('status page times and leases', () => {
  const NOW = Date.parse('2026-05-01T12:00:00.000Z');
  const job: JobView = {
    id: 'mirror:tasks',
    kind: 'mirror',
    name: 'tasks',
    schedule: { type: 'interval', intervalMs: 1_800_000 },
    health: 'WARNING',
    disabled: false,
    running: false,
    runningDetail: null,
    lastRun: {
      id: 'r1',
      status: 'failed',
      startedAt: '2026-05-01T11:57:50.000Z',
      finishedAt: '2026-05-01T11:58:00.000Z',
      error: null,
    },
    nextRunAt: '2026-05-01T12:28:00.000Z',
    consecutiveFailures: 1,
    counts: null,
    apiCalls: null,
    blockedBy: [
      {
        name: 'mirror-source:ds1',
        holder: 'build-1:4242:run:0123456789',
        host: 'build-1',
        pid: 4242,
        runId: '0123456789',
        since: '2026-05-01T11:55:00.000Z',
        expiresAt: '2026-05-01T12:05:00.000Z',
        holderState: 'gone',
      },
    ],
    lastError: null,
  };

  it('shows times relative to now, with the ISO time in the title', () => {
    const html = renderStatusPage({ jobs: [job], runs: [], nowMs: NOW });
    expect(html).toContain(
      '<time datetime="2026-05-01T11:58:00.000Z" title="2026-05-01T11:58:00.000Z">2 minutes ago</time>',
    );
    expect(html).toContain(
      '<time datetime="2026-05-01T12:28:00.000Z" title="2026-05-01T12:28:00.000Z">in 28 minutes</time>',
    );
  });

  it('says which lease blocks a job, who holds it, since and until when, and how to clear it', () => {
    const html = renderStatusPage({ jobs: [job], runs: [], nowMs: NOW });
    const row = /<tr data-job="mirror:tasks">.*?<\/tr>/s.exec(html)?.[0] ?? '';
    const text = row.replace(/<[^>]+>/g, '');
    expect(text).toContain(
      'Blocked: lease mirror-source:ds1 held by run 01234567 (pid 4242 on host build-1) (that process is no longer running) since 5 minutes ago, expires in 5 minutes.',
    );
    expect(text).toContain('Clear it now: notion-sync runs release mirror:tasks');
    expect(row).toMatch(/<button type="button" data-run="mirror:tasks" disabled>/);
    const alive = renderStatusPage({
      jobs: [{ ...job, blockedBy: [{ ...job.blockedBy[0]!, holderState: 'alive' }] }],
      runs: [],
      nowMs: NOW,
    });
    expect(alive).toContain('That process is still running: wait for it, or stop it first.');
    expect(alive).not.toContain('Clear it now');
  });
});

describe(escapeHtml, () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
