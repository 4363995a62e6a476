/**
 * The scheduler's job for one configured mirror (`mirrors` in the config): the daemon, HTTP API and MCP
 * server run mirrors through it. Register it with `registerJobFactory('mirror', createMirrorJob)`.
 * @module
 */
import { InvalidConfigError } from '../errors.js';
import type { JobBuildContext, MirrorConfig } from '../schedule/build-jobs.js';
import type { Job, JobOutcome } from '../schedule/job.js';
import { parseSchedule } from '../schedule/parse-schedule.js';
import { runMirror } from './run-mirror.js';

/** How often a configured mirror runs when its entry gives no `schedule`. */
export const DEFAULT_MIRROR_SCHEDULE = '15m';

/**
 * Builds the job of one configured mirror: id `mirror:<name>` (the name defaults to the source), runs
 * recorded under the source as `target`, each run a `runMirror` of that source (a delta after the first).
 */
export function createMirrorJob(mirror: MirrorConfig, context: JobBuildContext): Job {
  const name = mirror.name ?? mirror.source;
  const parsed = parseSchedule(mirror.schedule ?? DEFAULT_MIRROR_SCHEDULE);
  if ('error' in parsed) {
    throw new InvalidConfigError(
      `Mirror "${name}" has an invalid schedule: ${parsed.error}`,
      [{ path: 'schedule', message: parsed.error }],
      { hint: 'Use manual, continuous, an interval such as 15m, or a cron expression.' },
    );
  }
  return {
    id: `mirror:${name}`,
    kind: 'mirror',
    name,
    schedule: parsed.schedule,
    runTarget: mirror.source,
    run: async (run): Promise<JobOutcome> => {
      const outcome = await runMirror({
        store: context.store,
        gateway: context.gateway(),
        sources: [mirror.source],
        bodies: mirror.bodies ?? true,
        consistencyBufferMs: context.config.consistencyBufferMs,
        ...(context.config.rediscoverAfterMs === undefined
          ? {}
          : { rediscoverAfterMs: context.config.rediscoverAfterMs }),
        clock: context.clock,
        logger: context.logger,
        signal: run.signal,
        trigger: run.trigger,
        ...(run.onRunStarted === undefined ? {} : { onRunStarted: run.onRunStarted }),
      });
      const error = outcome.error as { code?: unknown; message?: unknown; hint?: unknown } | undefined;
      return {
        runId: outcome.runId,
        status: outcome.status,
        ...(error === undefined
          ? {}
          : {
              error: {
                code: typeof error.code === 'string' ? error.code : 'internal',
                message: typeof error.message === 'string' ? error.message : 'The mirror run failed.',
                ...(typeof error.hint === 'string' ? { hint: error.hint } : {}),
              },
            }),
      };
    },
  };
}
