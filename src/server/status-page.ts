import type { HeldLease } from '../schedule/held-lease.js';
import { holderText, releaseCommand } from '../schedule/held-lease.js';
import type { RunRecord } from '../store/runs-repository.js';
import type { JobView } from './engine-api.js';
import { relativeTime } from './relative-time.js';

/** How often the status page fetches fresh JSON (ms). */
export const STATUS_PAGE_REFRESH_MS = 3_000;
/** Runs listed under "Recent runs". */
export const STATUS_PAGE_RECENT_RUNS = 10;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

const STYLE = `
:root{color-scheme:light dark;--ok:#1a7f37;--warn:#9a6700;--err:#cf222e;--muted:#6e7781}
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;padding:1rem;max-width:72rem}
h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #8884;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:var(--muted)}
.health{font-weight:600;font-size:.8rem;padding:.1rem .45rem;border-radius:.6rem;border:1px solid currentColor}
.HEALTHY,.succeeded{color:var(--ok)}.WARNING,.partial,.INITIALIZING{color:var(--warn)}.ERROR,.failed,.cancelled{color:var(--err)}
.DISABLED,.muted{color:var(--muted)}.running{color:#0969da}
.error{color:var(--err);font-size:.85rem;word-break:break-word}
button{font:inherit;padding:.35rem .8rem;border-radius:.4rem;border:1px solid #8888;background:#0969da;color:#fff;cursor:pointer}
button:disabled{opacity:.55;cursor:default}button.secondary{background:transparent;color:inherit}
td>button{margin:.15rem 0}
#notice{min-height:1.4rem;color:var(--muted)}
time{white-space:nowrap}.blocked{font-size:.85rem;margin-top:.3rem}code{overflow-wrap:anywhere}
@media (max-width:700px){
  thead{display:none}table,tbody,tr,td{display:block;width:100%}
  tr{border:1px solid #8885;border-radius:.6rem;margin:0 0 .8rem;padding:.4rem .6rem;box-sizing:border-box}
  td{border:0;padding:.2rem 0}td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.8rem}
}`;

/** A table cell; on a phone its `label` stands before the content (none for the buttons' cell). */
function cell(label: string, content: string, className = ''): string {
  const labelled = label === '' ? '' : ` data-label="${escapeHtml(label)}"`;
  return `<td${labelled}${className ? ` class="${escapeHtml(className)}"` : ''}>${content}</td>`;
}

/** What the symbols of the counts column mean (its tooltip). */
const COUNTS_LEGEND = 'last run: +created ~updated −deleted ↺restored ✗failed';

function countsText(job: JobView): string {
  if (job.counts === null) return '—';
  const c = job.counts;
  return `+${c.created} ~${c.updated} −${c.deleted} ↺${c.restored} ✗${c.failed}`;
}

/** A time in words relative to now ("2 minutes ago", "in 28 minutes"), the ISO time in its title. */
function when(iso: string | null, nowMs: number): string {
  if (iso === null) return '—';
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${escapeHtml(relativeTime(iso, nowMs))}</time>`;
}

/** A lease that keeps the job from starting: who holds it, since and until when, and how to clear it. */
function blockedNote(job: JobView, lease: HeldLease, nowMs: number): string {
  const gone = lease.holderState === 'gone' ? ' (that process is no longer running)' : '';
  const clear =
    lease.holderState === 'gone'
      ? ` Clear it now: <code>${escapeHtml(releaseCommand(lease, job.id))}</code>`
      : lease.holderState === 'alive'
        ? ' That process is still running: wait for it, or stop it first.'
        : '';
  return (
    `<div class="blocked error" data-lease="${escapeHtml(lease.name)}">Blocked: lease <code>${escapeHtml(lease.name)}</code> ` +
    `held by ${escapeHtml(holderText(lease))}${gone} since ${when(lease.since, nowMs)}, expires ${when(lease.expiresAt, nowMs)}.${clear}</div>`
  );
}

function syncButton(job: JobView): string {
  const off = job.running || job.disabled || job.blockedBy.length > 0;
  return `<button type="button" data-run="${escapeHtml(job.id)}"${off ? ' disabled' : ''}>Sync now</button>`;
}

/** Pause (the scheduler starts no run until resumed) or Resume. */
function pauseButton(job: JobView): string {
  const action = job.disabled ? 'resume' : 'pause';
  return `<button type="button" class="secondary" data-action="${action}" data-job-id="${escapeHtml(job.id)}">${job.disabled ? 'Resume' : 'Pause'}</button>`;
}

function jobRow(job: JobView, nowMs: number): string {
  const last = job.lastRun;
  return (
    `<tr data-job="${escapeHtml(job.id)}">` +
    cell(
      'Job',
      `<strong>${escapeHtml(job.name)}</strong><br><span class="muted">${escapeHtml(job.id)}</span>`,
    ) +
    cell(
      'Health',
      `<span class="health ${escapeHtml(job.health)}">${escapeHtml(job.health)}</span>` +
        (job.running ? ' <span class="running">running…</span>' : '') +
        job.blockedBy.map((lease) => blockedNote(job, lease, nowMs)).join(''),
    ) +
    cell(
      'Last run',
      last === null
        ? '—'
        : `<span class="${escapeHtml(last.status)}">${escapeHtml(last.status)}</span> ${when(last.finishedAt, nowMs)}`,
    ) +
    cell('Next run', when(job.nextRunAt, nowMs)) +
    cell('Counts', `<span title="${escapeHtml(COUNTS_LEGEND)}">${escapeHtml(countsText(job))}</span>`) +
    cell(
      'Last error',
      job.lastError === null
        ? '—'
        : `<span class="error">${escapeHtml(`${job.lastError.error.code}: ${job.lastError.error.message}`)}</span> ${when(job.lastError.at, nowMs)}`,
    ) +
    cell('', `${syncButton(job)} ${pauseButton(job)}`) +
    `</tr>`
  );
}

function runRow(run: RunRecord, nowMs: number): string {
  return (
    `<tr data-run-id="${escapeHtml(run.id)}">` +
    cell(
      'Run',
      `<code>${escapeHtml(run.id.slice(0, 8))}</code> ${escapeHtml(run.kind)} ${escapeHtml(run.target)}`,
    ) +
    cell('Status', `<span class="run-status ${escapeHtml(run.status)}">${escapeHtml(run.status)}</span>`) +
    cell('Trigger', escapeHtml(run.trigger)) +
    cell('Started', when(run.startedAt, nowMs)) +
    cell('Finished', when(run.finishedAt, nowMs)) +
    `</tr>`
  );
}

/**
 * The client script: every `STATUS_PAGE_REFRESH_MS` it fetches the page again and swaps in its two tables
 * (the server renders every row, relative times included: no second renderer here); "Sync now", "Pause" and
 * "Resume" post to `/api/jobs/:id/run|pause|resume` and show the answer, with the hint of a refusal.
 */
const SCRIPT = `
const REFRESH_MS = ${STATUS_PAGE_REFRESH_MS};
const notice = document.getElementById('notice');
async function refresh() {
  try {
    const res = await fetch('/', { credentials: 'same-origin', headers: { accept: 'text/html' } });
    if (res.status === 401) { location.reload(); return; }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const fresh = new DOMParser().parseFromString(await res.text(), 'text/html');
    for (const id of ['jobs', 'runs']) document.getElementById(id).replaceChildren(...fresh.getElementById(id).children);
    document.getElementById('updated').textContent = new Date().toLocaleTimeString();
  } catch (e) { notice.textContent = 'Refresh failed: ' + e.message; }
}
async function post(path) {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) { location.reload(); throw new Error('unauthorized'); }
  const body = await res.json();
  if (!res.ok) {
    const e = body.error || {};
    throw new Error((e.message || 'HTTP ' + res.status) + (e.hint ? ' ' + e.hint : ''));
  }
  return body;
}
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-run], button[data-action]');
  if (!button) return;
  button.disabled = true;
  const id = button.getAttribute('data-run') || button.getAttribute('data-job-id');
  const action = button.getAttribute('data-action') || 'run';
  const path = '/api/jobs/' + encodeURIComponent(id) + '/' + action;
  try {
    const answer = await post(path);
    if (action === 'run') notice.textContent = 'Started ' + id + (answer.runId ? ' (run ' + answer.runId.slice(0, 8) + ')' : '');
    else notice.textContent = (action === 'pause' ? 'Paused ' : 'Resumed ') + id;
  } catch (e) { notice.textContent = 'Could not ' + (action === 'run' ? 'start' : action) + ' ' + id + ': ' + e.message; }
  refresh();
});
setInterval(refresh, REFRESH_MS);
`;

function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/**
 * The status page: jobs with health (and any lease that blocks them), last and next run, counts, last error,
 * "Sync now" and "Pause"/"Resume"; recent runs. Times read relative to `nowMs` ("2 minutes ago"), the ISO time in a tooltip.
 */
export function renderStatusPage(input: {
  jobs: readonly JobView[];
  runs: readonly RunRecord[];
  nowMs: number;
}): string {
  const jobsBody = input.jobs.map((job) => jobRow(job, input.nowMs)).join('');
  return page(
    'notion-sync',
    `<h1>notion-sync</h1>
<p id="notice" role="status" aria-live="polite"></p>
<h2>Jobs</h2>
${input.jobs.length === 0 ? '<p class="muted">No jobs configured: add mirrors or workers to the config file.</p>' : ''}
<table><thead><tr><th>Job</th><th>Health</th><th>Last run</th><th>Next run</th><th>Counts</th><th>Last error</th><th></th></tr></thead>
<tbody id="jobs">${jobsBody}</tbody></table>
<h2>Recent runs</h2>
<table><thead><tr><th>Run</th><th>Status</th><th>Trigger</th><th>Started</th><th>Finished</th></tr></thead>
<tbody id="runs">${input.runs.map((run) => runRow(run, input.nowMs)).join('')}</tbody></table>
<p class="muted">Updated <span id="updated">now</span>; refreshes every ${STATUS_PAGE_REFRESH_MS / 1000} s.</p>`,
    SCRIPT,
  );
}

/** The login form shown instead of the status page when a token is set and the browser has no session. */
export function renderLoginPage(input: { failed: boolean }): string {
  return page(
    'notion-sync — log in',
    `<h1>notion-sync</h1>
<form method="post" action="/login">
<p><label for="token">API token (NOTION_SYNC_API_TOKEN)</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required style="width:100%;max-width:28rem;font:inherit;padding:.35rem"></p>
${input.failed ? '<p class="error" role="alert">Wrong token.</p>' : ''}
<p><button type="submit">Log in</button></p>
<p class="muted">The token is kept only as a hash in an HttpOnly cookie of this site.</p>
</form>`,
  );
}
