import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logger.js';
import { createMirrorJob } from '../../src/mirror/create-mirror-job.js';
import { createDatabase, openWorld, sqliteTarget, TASK_PROPERTIES, addTask } from './mirror-harness.js';

describe(createMirrorJob, () => {
  it('runs the configured source on its schedule and reports the run id first', async () => {
    const world = await openWorld(sqliteTarget());
    const dir = await mkdtemp(join(tmpdir(), 'notion-sync-mirror-job-'));
    try {
      const { dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      await addTask(world, dataSourceId, 'A');
      const config = await loadConfig({ cwd: dir, env: {} });
      const job = createMirrorJob(
        { source: dataSourceId, name: 'tasks', schedule: '5m' },
        {
          config,
          store: world.store,
          gateway: () => world.gateway,
          clock: world.clock,
          logger: silentLogger,
        },
      );
      expect(job).toMatchObject({
        id: 'mirror:tasks',
        kind: 'mirror',
        name: 'tasks',
        runTarget: dataSourceId,
      });
      const started: string[] = [];
      const outcome = await job.run({
        trigger: 'schedule',
        signal: new AbortController().signal,
        onRunStarted: (id) => started.push(id),
      });
      expect(outcome.status).toBe('succeeded');
      expect(started).toEqual([outcome.runId]);
      expect((await world.store.runs.get(outcome.runId))?.trigger).toBe('schedule');

      const missing = createMirrorJob(
        { source: '0123456789abcdef0123456789abcdef' },
        {
          config,
          store: world.store,
          gateway: () => world.gateway,
          clock: world.clock,
          logger: silentLogger,
        },
      );
      expect(missing.id).toBe('mirror:0123456789abcdef0123456789abcdef');
      const failed = await missing.run({ trigger: 'manual', signal: new AbortController().signal });
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatchObject({ code: 'not_found' });
    } finally {
      await world.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
