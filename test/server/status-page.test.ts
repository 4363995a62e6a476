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
    const html = renderStatusPage({ jobs: [job], runs: [run] });
    const body = html.slice(0, html.indexOf('<script>'));
    expect(body).not.toContain('<img');
    expect(body).not.toContain(`"alert`);
    expect(body).toContain(escapeHtml(EVIL));
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('Sync now');
  });

  it('says so when no job is configured, and the login page has a password field', () => {
    expect(renderStatusPage({ jobs: [], runs: [] })).toContain('No jobs configured');
    expect(renderLoginPage({ failed: true })).toContain('type="password"');
    expect(renderLoginPage({ failed: true })).toContain('Wrong token.');
    expect(renderLoginPage({ failed: false })).not.toContain('Wrong token.');
  });
});

describe(escapeHtml, () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
