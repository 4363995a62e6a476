import type { GatewayMetricsSnapshot } from '../notion/gateway-metrics.js';
import type { RunTotals } from '../store/runs-repository.js';
import type { JobView } from './engine-api.js';

/** What `/metrics` reports. */
export interface MetricsInput {
  readonly jobs: readonly JobView[];
  readonly totals: readonly RunTotals[];
  /** The gateway's counters, when the server was given them. */
  readonly gateway?: GatewayMetricsSnapshot | undefined;
  /** Now, in ms since the epoch. */
  readonly nowMs: number;
}

/** A label value escaped for the text exposition format (backslash, double quote, newline). */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',')}}`;
}

/**
 * Renders Prometheus' text exposition format (version 0.0.4): runs by job and status, rows written, API
 * calls by the runs and by the gateway, 429s, and replica lag (seconds since each mirror's last successful
 * run; absent for a mirror that never succeeded).
 */
export function renderMetrics(input: MetricsInput): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: string[]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };
  metric(
    'notion_sync_runs_total',
    'counter',
    'Runs recorded in the store, by kind, target and status.',
    input.totals.map(
      (t) =>
        `notion_sync_runs_total${labels({ kind: t.kind, target: t.target, status: t.status })} ${t.runs}`,
    ),
  );
  const rowSamples: string[] = [];
  for (const t of input.totals) {
    for (const op of ['created', 'updated', 'deleted', 'restored', 'failed'] as const) {
      if (t.counts[op] > 0) {
        rowSamples.push(
          `notion_sync_rows_written_total${labels({ kind: t.kind, target: t.target, status: t.status, op })} ${t.counts[op]}`,
        );
      }
    }
  }
  metric(
    'notion_sync_rows_written_total',
    'counter',
    'Rows or pages written by runs, by operation.',
    rowSamples,
  );
  metric(
    'notion_sync_run_api_calls_total',
    'counter',
    'Notion API calls made by runs, by kind and target.',
    input.totals.map(
      (t) =>
        `notion_sync_run_api_calls_total${labels({ kind: t.kind, target: t.target, status: t.status })} ${t.apiCalls}`,
    ),
  );
  if (input.gateway !== undefined) {
    const total = input.gateway.total;
    metric('notion_sync_api_calls_total', 'counter', 'Notion API calls made by this process (gateway).', [
      `notion_sync_api_calls_total ${total.calls}`,
    ]);
    metric('notion_sync_api_rate_limited_total', 'counter', 'HTTP 429 answers from Notion (gateway).', [
      `notion_sync_api_rate_limited_total ${total.rateLimited}`,
    ]);
    metric('notion_sync_api_retries_total', 'counter', 'Retried Notion API attempts (gateway).', [
      `notion_sync_api_retries_total ${total.retries}`,
    ]);
  }
  const lag: string[] = [];
  const running: string[] = [];
  const failures: string[] = [];
  for (const job of input.jobs) {
    const jobLabels = labels({ job: job.id, kind: job.kind });
    running.push(`notion_sync_job_running${jobLabels} ${job.running ? 1 : 0}`);
    failures.push(`notion_sync_job_consecutive_failures${jobLabels} ${job.consecutiveFailures}`);
    if (job.kind !== 'mirror') continue;
    const succeeded = input.totals.find(
      (t) => t.kind === 'mirror' && t.target === job.name && t.status === 'succeeded',
    );
    if (succeeded?.lastFinishedAt) {
      const seconds = Math.max(0, (input.nowMs - Date.parse(succeeded.lastFinishedAt)) / 1000);
      lag.push(`notion_sync_replica_lag_seconds${jobLabels} ${seconds.toFixed(3)}`);
    }
  }
  metric('notion_sync_job_running', 'gauge', '1 while a run of the job is in progress.', running);
  metric('notion_sync_job_consecutive_failures', 'gauge', 'Failed runs in a row, per job.', failures);
  metric('notion_sync_replica_lag_seconds', 'gauge', "Seconds since each mirror's last successful run.", lag);
  return `${lines.join('\n')}\n`;
}
