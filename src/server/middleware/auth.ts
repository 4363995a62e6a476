import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ServerError } from '../server-error.js';

/** The name of the status page's session cookie. */
export const SESSION_COOKIE = 'notion_sync_session';

export interface AuthOptions {
  /** The API token (`NOTION_SYNC_API_TOKEN`); undefined lets every request through (loopback only). */
  readonly token: string | undefined;
}

/**
 * The session cookie's value for a token: a hash of it, so the cookie never holds the token itself and
 * changing the token ends every session.
 */
export function sessionValue(token: string): string {
  return createHash('sha256').update(`notion-sync-session\0${token}`).digest('hex');
}

/** Compares in constant time (both sides hashed first, so their lengths never leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True when the request carries `Authorization: Bearer <token>` or the session cookie of `token`. */
export function isAuthorized(c: Context, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = c.req.header('authorization');
  const match = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
  if (match !== null && sameSecret(match[1] as string, token)) return true;
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

/**
 * Requires the API token on every request it guards: `Authorization: Bearer <token>`, or the HttpOnly
 * session cookie set by the status page's login form. Without a token configured it lets everything
 * through (the server then listens on loopback only). Answers 401 `unauthorized` as JSON otherwise.
 */
export function auth(options: AuthOptions): MiddlewareHandler {
  const token = options.token;
  return async function auth(c, next) {
    if (!isAuthorized(c, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="notion-sync"');
      throw new ServerError('unauthorized', 'Missing or wrong API token.', {
        hint: 'Send "Authorization: Bearer <NOTION_SYNC_API_TOKEN>", or log in on the status page.',
      });
    }
    await next();
  };
}
