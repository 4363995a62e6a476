import { Hono } from 'hono';
import type { Clock } from '../../clock.js';
import type { GatewayMetricsSnapshot } from '../../notion/gateway-metrics.js';
import type { EngineApi } from '../engine-api.js';
import { renderMetrics } from '../metrics-text.js';

/** `/metrics`: Prometheus text exposition format. */
export function metricsRoutes(
  api: EngineApi,
  options: { clock: Clock; gatewayMetrics?: (() => GatewayMetricsSnapshot) | undefined },
): Hono {
  return new Hono().get('/', async (c) => {
    const [jobs, totals] = await Promise.all([api.listJobs(), api.store.runs.totals()]);
    const text = renderMetrics({
      jobs,
      totals,
      gateway: options.gatewayMetrics?.(),
      nowMs: options.clock.now(),
    });
    return c.text(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
