import type { EndpointMetrics, GatewayMetricsSnapshot } from '../notion/gateway-metrics.js';
import { LATENCY_BUCKETS_MS } from '../notion/gateway-metrics.js';
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

type MetricType = 'counter' | 'gauge' | 'histogram';

function family(name: string, type: MetricType, help: string, samples: readonly string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

/** Error answers of the gateway by type: the counter of `EndpointMetrics` each one reads. */
const ERROR_TYPES = [
  ['overloaded', 'overloaded'],
  ['server_error', 'serverErrors'],
  ['client_error', 'clientErrors'],
  ['timeout', 'timeouts'],
  ['network', 'networkErrors'],
  ['outcome_unknown', 'outcomeUnknown'],
  ['circuit_open', 'circuitOpen'],
] as const satisfies readonly (readonly [string, keyof EndpointMetrics])[];

/**
 * The gateway's counters per endpoint (`pages.create`, …): calls by outcome, 429s, retries, error answers by
 * type and the attempt latency histogram. An endpoint appears once it has been called.
 */
function gatewayMetricLines(snapshot: GatewayMetricsSnapshot): string[] {
  const endpoints = Object.entries(snapshot.endpoints);
  const per = (sample: (endpoint: string, m: EndpointMetrics) => string[]): string[] =>
    endpoints.flatMap(([endpoint, m]) => sample(endpoint, m));
  const histogram = per((endpoint, m) => {
    let cumulative = 0;
    const buckets = LATENCY_BUCKETS_MS.map((upperMs, i) => {
      cumulative += m.latencyBuckets[i] ?? 0;
      return `notion_sync_api_request_duration_seconds_bucket${labels({ endpoint, le: String(upperMs / 1000) })} ${cumulative}`;
    });
    return [
      ...buckets,
      `notion_sync_api_request_duration_seconds_bucket${labels({ endpoint, le: '+Inf' })} ${m.attempts}`,
      `notion_sync_api_request_duration_seconds_sum${labels({ endpoint })} ${(m.latencySumMs / 1000).toFixed(3)}`,
      `notion_sync_api_request_duration_seconds_count${labels({ endpoint })} ${m.attempts}`,
    ];
  });
  return [
    ...family(
      'notion_sync_api_calls_total',
      'counter',
      'Notion API calls made by this process, by endpoint and outcome (one per call, however many attempts).',
      per((endpoint, m) => [
        `notion_sync_api_calls_total${labels({ endpoint, outcome: 'succeeded' })} ${m.succeeded}`,
        `notion_sync_api_calls_total${labels({ endpoint, outcome: 'failed' })} ${m.failed}`,
      ]),
    ),
    ...family(
      'notion_sync_api_attempts_total',
      'counter',
      'HTTP requests sent to Notion, retries included, by endpoint.',
      per((endpoint, m) => [`notion_sync_api_attempts_total${labels({ endpoint })} ${m.attempts}`]),
    ),
    ...family(
      'notion_sync_api_rate_limited_total',
      'counter',
      'HTTP 429 rate_limited answers from Notion, by endpoint.',
      per((endpoint, m) => [`notion_sync_api_rate_limited_total${labels({ endpoint })} ${m.rateLimited}`]),
    ),
    ...family(
      'notion_sync_api_retries_total',
      'counter',
      'Retried Notion API attempts, by endpoint.',
      per((endpoint, m) => [`notion_sync_api_retries_total${labels({ endpoint })} ${m.retries}`]),
    ),
    ...family(
      'notion_sync_api_errors_total',
      'counter',
      'Failed Notion API attempts other than 429, by endpoint and type.',
      per((endpoint, m) =>
        ERROR_TYPES.map(
          ([type, counter]) => `notion_sync_api_errors_total${labels({ endpoint, type })} ${m[counter]}`,
        ),
      ),
    ),
    ...family(
      'notion_sync_api_request_duration_seconds',
      'histogram',
      'Latency of each attempt to Notion, by endpoint.',
      histogram,
    ),
  ];
}

/**
 * Renders Prometheus' text exposition format (version 0.0.4): runs by job and status, rows written, API
 * calls by the runs and by the gateway (per endpoint: outcomes, 429s, retries, errors, latency), and
 * replica lag (seconds since each mirror's last successful run; absent for a mirror that never succeeded).
 */
export function renderMetrics(input: MetricsInput): string {
  const lines: string[] = [];
  const metric = (name: string, type: MetricType, help: string, samples: string[]): void => {
    lines.push(...family(name, type, help, samples));
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
  if (input.gateway !== undefined) lines.push(...gatewayMetricLines(input.gateway));
  const lag: string[] = [];
  const running: string[] = [];
  const failures: string[] = [];
  const blocked: string[] = [];
  for (const job of input.jobs) {
    const jobLabels = labels({ job: job.id, kind: job.kind });
    running.push(`notion_sync_job_running${jobLabels} ${job.running ? 1 : 0}`);
    blocked.push(`notion_sync_job_blocked${jobLabels} ${job.blockedBy.length > 0 ? 1 : 0}`);
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
  metric(
    'notion_sync_job_blocked',
    'gauge',
    'Whether another process, or a run that died, holds a lease that keeps the job from starting.',
    blocked,
  );
  metric('notion_sync_replica_lag_seconds', 'gauge', "Seconds since each mirror's last successful run.", lag);
  return `${lines.join('\n')}\n`;
}
