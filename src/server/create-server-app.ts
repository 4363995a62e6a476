import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { NotFoundError, registerSecret } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { GatewayMetricsSnapshot } from '../notion/gateway-metrics.js';
import type { Store } from '../store/store.js';
import { systemClock } from '../system-clock.js';
import { EngineApi } from './engine-api.js';
import type { EngineControl } from './engine-control.js';
import { createMcpServer } from './mcp/create-mcp-server.js';
import { auth } from './middleware/auth.js';
import { requestLog } from './middleware/request-log.js';
import { healthRoutes } from './routes/health-routes.js';
import { jobsRoutes } from './routes/jobs-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { pagesRoutes } from './routes/pages-routes.js';
import { replicaRoutes } from './routes/replica-routes.js';
import { runsRoutes } from './routes/runs-routes.js';
import { statusPageRoutes } from './routes/status-page-routes.js';
import { toErrorResponse } from './server-error.js';

export interface ServerAppOptions {
  readonly store: Store;
  /** The scheduler, or anything with its `trigger` and `status`. */
  readonly engine: EngineControl;
  /** The API token (`NOTION_SYNC_API_TOKEN`). Undefined: no auth (bind to loopback only). */
  readonly token?: string | undefined;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** True while the scheduler is started (`/readyz`). @default always true */
  readonly isReady?: () => boolean;
  /** The gateway's counters for `/metrics` (API calls, 429s). */
  readonly gatewayMetrics?: () => GatewayMetricsSnapshot;
}

/**
 * The HTTP edge: the JSON API under `/api`, MCP over streamable HTTP at `/mcp`, the status page at `/`,
 * `/metrics`, `/healthz` and `/readyz`. Everything but the health checks, the page's login form and the
 * page itself (which shows the form) requires the token when one is set. Errors are JSON
 * `{ error: { code, message, hint? } }` with the status of their code. Serve it with `@hono/node-server`, or
 * call `app.request()` in tests.
 *
 * ### Examples
 * ```ts
 * import { serve } from '@hono/node-server';
 * const app = createServerApp({ store, engine: scheduler, token: process.env.NOTION_SYNC_API_TOKEN });
 * serve({ fetch: app.fetch, port: 8787, hostname: '127.0.0.1' });
 * ```
 */
export function createServerApp(options: ServerAppOptions): Hono {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  registerSecret(options.token);
  const api = new EngineApi({ store: options.store, engine: options.engine });
  const guard = auth({ token: options.token });

  const app = new Hono();
  app.use(requestLog({ logger, clock }));
  app.route('/', healthRoutes(api, { isReady: options.isReady ?? (() => true) }));
  app.route('/', statusPageRoutes(api, { token: options.token, clock }));
  app.use('/api/*', guard);
  app.use('/metrics', guard);
  app.use('/mcp', guard);
  app.route('/api/jobs', jobsRoutes(api));
  app.route('/api/runs', runsRoutes(api));
  app.route('/api/pages', pagesRoutes(api));
  app.route('/api', replicaRoutes(api));
  app.route('/metrics', metricsRoutes(api, { clock, gatewayMetrics: options.gatewayMetrics }));
  app.all('/mcp', async (c) => {
    // Stateless streamable HTTP: one server and transport per request, so nothing is shared between clients.
    const server = createMcpServer(api);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });

  app.notFound((c) => {
    const { status, body } = toErrorResponse(
      new NotFoundError(`No endpoint ${c.req.method} ${c.req.path}.`, {
        hint: 'See /api/jobs, /api/runs, /api/pages/:id/history, /api/databases, /api/query, /mcp, /metrics.',
      }),
    );
    return c.json(body, status as 404);
  });
  app.onError((error, c) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) logger('error', 'http request failed', { path: c.req.path, error });
    return c.json(body, status as 400);
  });
  return app;
}
