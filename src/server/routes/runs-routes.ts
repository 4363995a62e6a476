import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineApi } from '../engine-api.js';
import { MAX_PAGE_SIZE } from '../engine-api.js';
import { parseInput, redactedJson } from '../parse-input.js';

const listQuery = z.object({
  job: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  cursor: z.string().min(1).optional(),
});

const eventsQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});

/** `/api/runs`: runs newest first (`?job=&limit=&cursor=`), one run, a run's events (`?after=&limit=`). */
export function runsRoutes(api: EngineApi): Hono {
  return new Hono()
    .get('/', async (c) => {
      const query = parseInput(listQuery, c.req.query(), 'query string');
      return redactedJson(c, await api.listRuns(query));
    })
    .get('/:id', async (c) => redactedJson(c, { run: await api.getRun(c.req.param('id')) }))
    .get('/:id/events', async (c) => {
      const query = parseInput(eventsQuery, c.req.query(), 'query string');
      return redactedJson(c, { events: await api.listRunEvents(c.req.param('id'), query) });
    });
}
