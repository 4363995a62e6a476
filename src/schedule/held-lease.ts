import { LeaseHeldError } from '../errors.js';
import type { Lease } from '../store/leases-repository.js';
import type { HolderState, ProcessIdentity } from './lease-holder.js';
import { holderState, parseLeaseHolder, thisProcess } from './lease-holder.js';

/** A lease someone holds, with who holds it and whether that holder still lives. */
export interface HeldLease {
  /** The lease's name (`mirror:tasks`, `push:<syncKey>`, `mirror-source:<data source id>`). */
  readonly name: string;
  /** The holder as stored. */
  readonly holder: string;
  /** Where the holder runs, when its name says so (older holders' names do not). */
  readonly host: string | null;
  readonly pid: number | null;
  /** The run that holds it, for the leases runs take. */
  readonly runId: string | null;
  /** When the holder took it (ISO 8601). */
  readonly since: string;
  /** When it runs out unless renewed (ISO 8601). */
  readonly expiresAt: string;
  readonly holderState: HolderState;
}

/** A stored lease with its holder read, and the holder's liveness checked from `identity`. */
export function describeHeldLease(lease: Lease, identity: ProcessIdentity = thisProcess()): HeldLease {
  const parsed = parseLeaseHolder(lease.holder);
  return {
    name: lease.name,
    holder: lease.holder,
    host: parsed?.host ?? null,
    pid: parsed?.pid ?? null,
    runId: parsed?.runId ?? null,
    since: lease.acquiredAt,
    expiresAt: lease.expiresAt,
    holderState: holderState(lease.holder, identity),
  };
}

/** The `notion-sync runs release` command that clears `lease` (for `job` when given, else by lease name). */
export function releaseCommand(lease: HeldLease, job?: string): string {
  return `notion-sync runs release ${job ?? lease.name}`;
}

/** Who holds the lease, in words: `run 1a2b3c4d (pid 4242 on host build-1)`. */
export function holderText(lease: HeldLease): string {
  if (lease.pid === null || lease.host === null) return `"${lease.holder}"`;
  const where = `pid ${lease.pid} on host ${lease.host}`;
  return lease.runId === null ? where : `run ${lease.runId.slice(0, 8)} (${where})`;
}

/** What to do about a lease, by its holder's state: wait, stop the holder, or release it. */
export function leaseHint(lease: HeldLease, job?: string): string {
  const release = `\`${releaseCommand(lease, job)}\``;
  switch (lease.holderState) {
    case 'gone':
      return `Its process (pid ${lease.pid}) is no longer running on ${lease.host} (killed or crashed): clear the lease now with ${release}, or wait until it expires at ${lease.expiresAt}.`;
    case 'alive':
      return `Its process (pid ${lease.pid}) is still running on ${lease.host}: wait for that run to finish, or stop that process first and then run ${release}.`;
    case 'other_host':
      return `Its process runs on host ${lease.host}, which cannot be checked from here: wait until it expires at ${lease.expiresAt}, or, if that process is gone, run ${release} on ${lease.host}.`;
    case 'this_process':
      return 'This process holds it: wait for its run to finish.';
    case 'unknown':
      return `Wait until it expires at ${lease.expiresAt}.`;
  }
}

/**
 * The refusal of `what` ("Mirror of data source …", "Job mirror:tasks") because `lease` is held: who holds it,
 * since when, until when, and how to clear it.
 */
export function leaseHeldError(what: string, lease: HeldLease, job?: string): LeaseHeldError {
  const gone = lease.holderState === 'gone' ? ', a process that is no longer running' : '';
  return new LeaseHeldError(
    `${what} is refused: lease "${lease.name}" is held by ${holderText(lease)}${gone}, since ${lease.since}, until ${lease.expiresAt}.`,
    { hint: leaseHint(lease, job) },
  );
}
