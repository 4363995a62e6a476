import { Hono } from 'hono';
import type { EngineApi } from '../engine-api.js';
import { redactedJson } from '../parse-input.js';

/** `/api/pages/:id/history`: a page's versions from the replica; `:id` is a Notion id or URL (URL-encoded). */
export function pagesRoutes(api: EngineApi): Hono {
  return new Hono().get('/:id/history', async (c) =>
    redactedJson(c, await api.pageHistory(c.req.param('id'))),
  );
}
