import { Hono } from 'hono';
import type { EngineApi } from '../engine-api.js';
import { parseInput, redactedJson } from '../parse-input.js';
import { toViewQuery, viewQuerySchema } from '../view-query-schema.js';

/** `/api/databases` (mirrored data sources and their view columns) and `/api/query` (structured, read-only). */
export function replicaRoutes(api: EngineApi): Hono {
  return new Hono()
    .get('/databases', async (c) => redactedJson(c, { databases: await api.listDatabases() }))
    .post('/query', async (c) => {
      const body: unknown = await c.req.json().catch(() => undefined);
      const input = parseInput(viewQuerySchema, body, 'query');
      return redactedJson(c, await api.queryReplica(toViewQuery(input)));
    });
}
