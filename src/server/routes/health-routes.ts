import { Hono } from 'hono';
import type { EngineApi } from '../engine-api.js';

/**
 * `/healthz` (the process is up: always 200) and `/readyz` (the store answers and the scheduler is started:
 * 200, else 503 with the failed checks). Neither needs the token, and neither says more than ok/failed.
 */
export function healthRoutes(api: EngineApi, options: { isReady: () => boolean }): Hono {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const store = await api.store.runs.list({ limit: 1 }).then(
        () => true,
        () => false,
      );
      const scheduler = options.isReady();
      const ready = store && scheduler;
      return c.json(
        { status: ready ? 'ready' : 'not_ready', checks: { store, scheduler } },
        ready ? 200 : 503,
      );
    });
}
