import { InvalidConfigError } from '../errors.js';
import { parseNotionId } from '../notion/notion-id.js';
import type { SyncJobFactory } from '../schedule/build-jobs.js';
import type { Job } from '../schedule/job.js';
import { parseSchedule, type Schedule } from '../schedule/parse-schedule.js';
import { loadWorkerModule } from '../workers/load-worker.js';
import { runSyncCycle } from './run-sync-cycle.js';

function scheduleOf(syncKey: string, override: string | undefined, declared: Schedule): Schedule {
  if (override === undefined) return declared;
  const parsed = parseSchedule(override);
  if ('error' in parsed) {
    throw new InvalidConfigError(`workers[].syncs.${syncKey}.schedule: ${parsed.error}`, [], {
      hint: 'Use manual, continuous, an interval like 15m / 2h / 1d, or a cron expression.',
    });
  }
  return parsed.schedule;
}

/**
 * The scheduler's job factory for worker syncs (register it with `registerJobFactory('sync', syncJobFactory)`):
 * one job per sync of the module (id `sync:<syncKey>`), its schedule from the config override or the worker's
 * declaration, syncs marked `disabled` left out, and the module's syncs in one exclusive group (the SDK keeps
 * pacer state in a module global). Each run is one `runSyncCycle`.
 */
export const syncJobFactory: SyncJobFactory = async (workerConfig, context) => {
  const module = await loadWorkerModule(workerConfig.module);
  const parentPageId =
    workerConfig.parentPage === undefined ? undefined : parseNotionId(workerConfig.parentPage);
  const jobs: Job[] = [];
  for (const sync of module.description.syncs) {
    const override = workerConfig.syncs?.[sync.key];
    if (override?.disabled) continue;
    jobs.push({
      id: `sync:${sync.key}`,
      kind: 'sync',
      name: sync.key,
      schedule: scheduleOf(sync.key, override?.schedule, sync.schedule),
      runTarget: sync.key,
      exclusiveGroup: module.modulePath,
      async run(runContext) {
        const outcome = await runSyncCycle({
          store: context.store,
          gateway: context.gateway(),
          worker: module.worker,
          workerModulePath: module.modulePath,
          syncKey: sync.key,
          ...(parentPageId !== undefined ? { parentPageId } : {}),
          clock: context.clock,
          logger: context.logger,
          signal: runContext.signal,
          trigger: runContext.trigger,
          ...(runContext.onRunStarted ? { onRunStarted: runContext.onRunStarted } : {}),
          ...(context.config.token !== undefined
            ? { workerEnv: { NOTION_API_TOKEN: context.config.token } }
            : {}),
        });
        return {
          runId: outcome.runId,
          status: outcome.status,
          ...(outcome.error ? { error: outcome.error } : {}),
          ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
        };
      },
    });
  }
  return jobs;
};
