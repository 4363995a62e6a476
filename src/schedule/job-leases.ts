import type { RunKind } from '../store/runs-repository.js';
import type { Store } from '../store/store.js';
import type { HeldLease } from './held-lease.js';
import { describeHeldLease, leaseHint } from './held-lease.js';
import type { ProcessIdentity } from './lease-holder.js';
import { thisProcess } from './lease-holder.js';

/** What identifies a job's runs: its id (the scheduler's lease name), kind and run target. */
export interface JobLeaseKey {
  readonly id: string;
  readonly kind: 'mirror' | 'sync';
  readonly runTarget: string;
}

/** An unexpired lease, and the run that holds it when a run does (its kind and target name its job). */
export interface ActiveLease {
  readonly lease: HeldLease;
  readonly run: { readonly kind: RunKind; readonly target: string } | null;
}

/**
 * Every unexpired lease with its holder described and, for the leases runs hold, the run's kind and target
 * (one read per such lease). Filter the result per job with `leasesOfJob`.
 */
export async function readActiveLeases(
  store: Store,
  options: { identity?: ProcessIdentity } = {},
): Promise<ActiveLease[]> {
  const identity = options.identity ?? thisProcess();
  const active = await store.leases.listActive();
  return Promise.all(
    active.map(async (stored) => {
      const lease = describeHeldLease(stored, identity);
      const run = lease.runId === null ? undefined : await store.runs.get(lease.runId);
      return { lease, run: run === undefined ? null : { kind: run.kind, target: run.target } };
    }),
  );
}

/**
 * The leases among `active` that keep `job` from running: the scheduler's lease of the job, and every lease
 * held by a run of the job (a mirror's data sources, a sync's push lease).
 */
export function leasesOfJob(active: readonly ActiveLease[], job: JobLeaseKey): HeldLease[] {
  return active
    .filter(
      ({ lease, run }) =>
        lease.name === job.id || (run !== null && run.kind === job.kind && run.target === job.runTarget),
    )
    .map(({ lease }) => lease);
}

/**
 * The leases among `active` that keep `job` from starting now: `leasesOfJob` less those this process holds
 * (its own runs, which the scheduler already keeps from overlapping).
 */
export function blockingLeases(active: readonly ActiveLease[], job: JobLeaseKey): HeldLease[] {
  return leasesOfJob(active, job).filter((l) => l.holderState !== 'this_process');
}

/** `leasesOfJob` of one job, read from the store. */
export async function findJobLeases(
  store: Store,
  job: JobLeaseKey,
  options: { identity?: ProcessIdentity } = {},
): Promise<HeldLease[]> {
  return leasesOfJob(await readActiveLeases(store, options), job);
}

/** What `releaseGoneLeases` did. */
export interface LeaseRelease {
  /** Leases released: their holder's process was gone. */
  readonly released: readonly HeldLease[];
  /** Runs of those holders marked failed (they were still `running`). */
  readonly failedRuns: readonly string[];
  /** Leases left alone, each with what to do instead. */
  readonly kept: readonly { readonly lease: HeldLease; readonly hint: string }[];
}

/**
 * Releases the leases whose holder's process is gone (on this host, no process with its pid runs: it was
 * killed or crashed), and fails the runs they held that were still `running`. Leases of a live process, of
 * another host or of an unreadable holder are kept: releasing those could let two runs write at once. Each
 * release is conditional on the same holder, so a lease taken over meanwhile is left alone.
 */
export async function releaseGoneLeases(
  store: Store,
  leases: readonly HeldLease[],
  job?: string,
): Promise<LeaseRelease> {
  const released: HeldLease[] = [];
  const failedRuns: string[] = [];
  const kept: { lease: HeldLease; hint: string }[] = [];
  for (const lease of leases) {
    if (lease.holderState !== 'gone') {
      kept.push({ lease, hint: leaseHint(lease, job) });
      continue;
    }
    if (!(await store.leases.release(lease.name, lease.holder))) continue;
    released.push(lease);
    if (lease.runId === null) continue;
    const run = await store.runs.get(lease.runId);
    if (run?.status !== 'running') continue;
    await store.runs.finish(lease.runId, {
      status: 'failed',
      error: {
        code: 'abandoned',
        message: `The process running it (pid ${lease.pid} on ${lease.host}) stopped without finishing it (crash or kill).`,
        hint: 'Its lease was released with `notion-sync runs release`; the next run resumes from the last committed batch.',
      },
    });
    failedRuns.push(lease.runId);
  }
  return { released, failedRuns, kept };
}
