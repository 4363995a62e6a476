import type { Clock } from '../clock.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { InvalidConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { NotionGateway } from '../notion/gateway.js';
import type { Store } from '../store/store.js';
import type { Job } from './job.js';

/** One configured mirror. */
export type MirrorConfig = ResolvedConfig['mirrors'][number];
/** One configured worker module (its `module` path is absolute). */
export type WorkerConfig = ResolvedConfig['workers'][number];

/** What a job factory gets besides the config entry. */
export interface JobBuildContext {
  readonly config: ResolvedConfig;
  readonly store: Store;
  /**
   * The gateway to Notion, created on first call and shared by every job (one pacer per token). Call it only
   * when a job needs Notion: a config without mirrors or workers then needs no token.
   */
  readonly gateway: () => NotionGateway;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Builds the job of one configured mirror (id `mirror:<name>`). */
export type MirrorJobFactory = (mirror: MirrorConfig, context: JobBuildContext) => Job | Promise<Job>;
/**
 * Builds the jobs of one worker module: one per sync capability (id `sync:<syncKey>`), honouring the
 * config's per-sync `schedule` overrides and leaving out syncs the config marks `disabled`.
 */
export type SyncJobFactory = (
  worker: WorkerConfig,
  context: JobBuildContext,
) => readonly Job[] | Promise<readonly Job[]>;

/** The engines that turn config entries into jobs. A kind without a factory is reported, not scheduled. */
export interface JobFactories {
  readonly mirror?: MirrorJobFactory;
  readonly sync?: SyncJobFactory;
}

/** A config entry that got no job, and why. */
export interface UnscheduledEntry {
  readonly kind: 'mirror' | 'sync';
  /** The mirror's name or source, or the worker module's path. */
  readonly name: string;
  readonly reason: string;
}

/** What `buildJobs` returns. */
export interface BuiltJobs {
  readonly jobs: readonly Job[];
  readonly unscheduled: readonly UnscheduledEntry[];
}

const registered: { mirror?: MirrorJobFactory; sync?: SyncJobFactory } = {};

/**
 * Registers the engine that builds jobs of `kind` for `buildJobs` (the mirror engine registers `'mirror'`,
 * the workers runtime `'sync'`). A later registration replaces an earlier one. Returns a function that puts
 * back the factory it replaced (or none).
 */
export function registerJobFactory(kind: 'mirror', factory: MirrorJobFactory): () => void;
export function registerJobFactory(kind: 'sync', factory: SyncJobFactory): () => void;
export function registerJobFactory(
  kind: 'mirror' | 'sync',
  factory: MirrorJobFactory | SyncJobFactory,
): () => void {
  const previous = registered[kind];
  if (kind === 'mirror') registered.mirror = factory as MirrorJobFactory;
  else registered.sync = factory as SyncJobFactory;
  return () => {
    if (previous === undefined) delete registered[kind];
    else if (kind === 'mirror') registered.mirror = previous as MirrorJobFactory;
    else registered.sync = previous as SyncJobFactory;
  };
}

/** The factories registered so far (a snapshot). */
export function registeredJobFactories(): JobFactories {
  return { ...registered };
}

/**
 * Builds the jobs of every configured mirror and worker module through `factories` (by default the
 * registered ones). Entries whose kind has no factory are returned in `unscheduled`, so that the daemon can
 * say what it does not run.
 *
 * @throws InvalidConfigError when two entries give the same job id (two mirrors with the same name, or a
 *   sync key declared by two modules).
 */
export async function buildJobs(
  context: JobBuildContext,
  factories: JobFactories = registeredJobFactories(),
): Promise<BuiltJobs> {
  const { config } = context;
  const jobs: Job[] = [];
  const unscheduled: UnscheduledEntry[] = [];
  for (const mirror of config.mirrors) {
    if (factories.mirror === undefined) {
      unscheduled.push({ kind: 'mirror', name: mirror.name ?? mirror.source, reason: 'no mirror engine' });
    } else jobs.push(await factories.mirror(mirror, context));
  }
  for (const worker of config.workers) {
    if (factories.sync === undefined) {
      unscheduled.push({ kind: 'sync', name: worker.module, reason: 'no workers runtime' });
    } else jobs.push(...(await factories.sync(worker, context)));
  }
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.id)) {
      throw new InvalidConfigError(
        `Two configured entries make the same job "${job.id}".`,
        [{ path: job.kind === 'mirror' ? 'mirrors' : 'workers', message: `duplicate job id "${job.id}"` }],
        { hint: 'Give each mirror its own name, and each sync its own key.' },
      );
    }
    seen.add(job.id);
  }
  return { jobs, unscheduled };
}
