import type { ResolvedConfig } from '../../config/load-config.js';
import { loadConfig, normalizeStoreUrl } from '../../config/load-config.js';
import type { HeldLease } from '../../schedule/held-lease.js';
import { describeHeldLease, holderText } from '../../schedule/held-lease.js';
import type { JobLeaseKey, LeaseRelease } from '../../schedule/job-leases.js';
import { findJobLeases, releaseGoneLeases } from '../../schedule/job-leases.js';
import { openStore } from '../../store/open-store.js';
import { ExitError } from '../exit-error.js';

export interface RunsReleaseOptions {
  /** A job id (`mirror:<name>`, `sync:<syncKey>`) or a lease name, as a refusal's hint gives it. */
  readonly target: string;
  /** Store URL. @default the config's store */
  readonly store?: string;
  /** Print JSON. @default false */
  readonly json?: boolean;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Config file. @default the first of CONFIG_FILE_NAMES in `cwd` */
  readonly config?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the lines go. @default console.log */
  readonly print?: (line: string) => void;
}

/**
 * `notion-sync runs release <job|lease>`: clears the leases of a run whose process is gone (killed or
 * crashed on this host), so its successor need not wait for them to expire, and marks that run failed.
 * Leases of a live process or of another host are kept, with what to do instead; the command then exits 1.
 */
export async function runsRelease(options: RunsReleaseOptions): Promise<LeaseRelease> {
  const cwd = options.cwd ?? process.cwd();
  const print = options.print ?? ((line: string) => console.log(line));
  const config = await loadConfig({
    cwd,
    ...(options.config === undefined ? {} : { configPath: options.config }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const store = await openStore(
    options.store === undefined ? config.store : normalizeStoreUrl(options.store, cwd),
  );
  try {
    const job = configuredJob(config, options.target);
    let leases: HeldLease[];
    if (job !== undefined) leases = await findJobLeases(store, job);
    else {
      const lease = (await store.leases.listActive()).find((l) => l.name === options.target);
      if (lease === undefined) {
        print(
          `No job and no held lease named ${options.target}: job ids are mirror:<name> or sync:<syncKey> (as in the config); a refused run's hint names what to release.`,
        );
        throw new ExitError(1);
      }
      leases = [describeHeldLease(lease)];
    }
    const jobId = job?.id;
    const outcome = await releaseGoneLeases(store, leases, jobId);
    if (options.json === true) print(JSON.stringify(outcome, null, 2));
    else printOutcome(options.target, leases, outcome, print);
    if (outcome.kept.length > 0) throw new ExitError(1);
    return outcome;
  } finally {
    await store.close();
  }
}

/** The job `id` names in the config, with what its runs are recorded under; undefined for no job. */
function configuredJob(config: ResolvedConfig, id: string): JobLeaseKey | undefined {
  if (id.startsWith('mirror:')) {
    const name = id.slice('mirror:'.length);
    const mirror = config.mirrors.find((m) => (m.name ?? m.source) === name);
    return mirror === undefined ? undefined : { id, kind: 'mirror', runTarget: mirror.source };
  }
  if (id.startsWith('sync:')) return { id, kind: 'sync', runTarget: id.slice('sync:'.length) };
  return undefined;
}

function printOutcome(
  target: string,
  leases: readonly HeldLease[],
  outcome: LeaseRelease,
  print: (line: string) => void,
): void {
  if (leases.length === 0) {
    print(`Nothing to release: no lease holds ${target}.`);
    return;
  }
  for (const lease of outcome.released) {
    print(`released ${lease.name} (held by ${holderText(lease)} since ${lease.since}; that process is gone)`);
  }
  for (const runId of outcome.failedRuns) print(`marked run ${runId} failed (abandoned)`);
  for (const { lease, hint } of outcome.kept) {
    print(`kept ${lease.name} (held by ${holderText(lease)} since ${lease.since}, until ${lease.expiresAt})`);
    print(`  ${hint}`);
  }
}
