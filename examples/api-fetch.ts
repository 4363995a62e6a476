/**
 * Shared by the example workers: a GET of the example JSON API (`examples/json-api-server.ts`) whose base URL
 * is in `EXAMPLE_API_URL`. A 429 becomes the SDK's `RateLimitError`, so the runtime backs off.
 */
import { RateLimitError } from '@notionhq/workers';

export async function apiGet<T>(path: string): Promise<T> {
  const base = process.env.EXAMPLE_API_URL;
  if (!base)
    throw new Error('EXAMPLE_API_URL is not set: start examples/json-api-server.ts and export its URL');
  const res = await fetch(`${base}${path}`);
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new RateLimitError({
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    });
  }
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return (await res.json()) as T;
}
