import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../../clock.js';
import type { EngineApi } from '../engine-api.js';
import { isAuthorized, sameSecret, SESSION_COOKIE, sessionValue } from '../middleware/auth.js';
import { renderLoginPage, renderStatusPage, STATUS_PAGE_RECENT_RUNS } from '../status-page.js';

/** How long a status page session lasts (seconds). */
export const SESSION_MAX_AGE_S = 7 * 24 * 3600;

/**
 * `/` (the status page, or the login form when a token is set and the browser has no session), `POST /login`
 * (sets the HttpOnly, SameSite=Strict session cookie) and `POST /logout`.
 */
export function statusPageRoutes(api: EngineApi, options: { token: string | undefined; clock: Clock }): Hono {
  const { token, clock } = options;
  return new Hono()
    .get('/', async (c) => {
      c.header('Cache-Control', 'no-store');
      if (!isAuthorized(c, token)) return c.html(renderLoginPage({ failed: false }), 401);
      const [jobs, runs] = await Promise.all([
        api.listJobs(),
        api.listRuns({ limit: STATUS_PAGE_RECENT_RUNS }),
      ]);
      return c.html(renderStatusPage({ jobs, runs: runs.runs, nowMs: clock.now() }));
    })
    .post('/login', async (c) => {
      if (token === undefined) return c.redirect('/', 303);
      const form = await c.req.parseBody();
      const given = typeof form['token'] === 'string' ? form['token'] : '';
      if (!sameSecret(given, token)) {
        return c.html(renderLoginPage({ failed: true }), 401);
      }
      setCookie(c, SESSION_COOKIE, sessionValue(token), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: new URL(c.req.url).protocol === 'https:',
        maxAge: SESSION_MAX_AGE_S,
      });
      return c.redirect('/', 303);
    })
    .post('/logout', (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.redirect('/', 303);
    });
}
