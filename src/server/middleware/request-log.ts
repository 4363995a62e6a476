import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { systemClock } from '../../system-clock.js';

export interface RequestLogOptions {
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * Logs one `'http request'` line per request, after it is answered: method, path (never the query string,
 * which could hold a cursor or a filter value), status and duration in ms. 5xx at `error`, 4xx at `warn`,
 * the rest at `debug`.
 */
export function requestLog(options: RequestLogOptions): MiddlewareHandler {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  return async function requestLog(c, next) {
    const startedAt = clock.now();
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
    logger(level, 'http request', {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: clock.now() - startedAt,
    });
  };
}
