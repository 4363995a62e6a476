import { Hono } from 'hono';
import type { EngineApi } from '../engine-api.js';
import { redactedJson } from '../parse-input.js';

/**
 * `/api/jobs`: list jobs, read one, trigger one (202 with the run id; 409 `already_running`, `lease_held`,
 * `disabled`), pause and resume one (200 with the job).
 */
export function jobsRoutes(api: EngineApi): Hono {
  return new Hono()
    .get('/', async (c) => redactedJson(c, { jobs: await api.listJobs() }))
    .get('/:id', async (c) => redactedJson(c, { job: await api.getJob(c.req.param('id')) }))
    .post('/:id/run', async (c) => redactedJson(c, await api.triggerJob(c.req.param('id'), 'api'), 202))
    .post('/:id/pause', async (c) => redactedJson(c, { job: await api.pauseJob(c.req.param('id')) }))
    .post('/:id/resume', async (c) => redactedJson(c, { job: await api.resumeJob(c.req.param('id')) }));
}
