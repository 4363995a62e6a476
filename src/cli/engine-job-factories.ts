import { createMirrorJob } from '../mirror/create-mirror-job.js';
import { syncJobFactory } from '../push/sync-job-factory.js';
import { registeredJobFactories, type JobFactories } from '../schedule/build-jobs.js';

/**
 * The engines that turn config entries into jobs: a mirror job per `mirrors[]` entry, a sync job per sync of
 * each `workers[]` module. Factories registered with `registerJobFactory` (by programs embedding
 * notion-sync) take precedence.
 */
export function engineJobFactories(): JobFactories {
  return { mirror: createMirrorJob, sync: syncJobFactory, ...registeredJobFactories() };
}
