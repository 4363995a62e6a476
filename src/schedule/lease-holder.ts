import { hostname } from 'node:os';

/** Who a lease's `holder` string names: a process on a host, and the run it holds it for, if any. */
export interface LeaseHolder {
  readonly host: string;
  readonly pid: number;
  /** The run holding it (`runs.id`), for the leases the mirror and push engines take per run. */
  readonly runId: string | undefined;
}

/**
 * Whether a lease's holder still lives, as far as this process can tell: `this_process`, `alive` (a process
 * with its pid runs on this host), `gone` (no process with its pid runs on this host: killed or crashed),
 * `other_host` (cannot be checked from here) or `unknown` (a holder written by an older version).
 */
export type HolderState = 'this_process' | 'alive' | 'gone' | 'other_host' | 'unknown';

/** This process, as lease holders name it. */
export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  /** True when a process with `pid` runs on this host. @default a signal-0 probe */
  readonly isAlive: (pid: number) => boolean;
}

const RUN_TAG = 'run:';
const HOLDER = /^([^:]+):(\d+):(.+)$/;

/** True when a process with `pid` runs on this host (signal 0: nothing is sent, only checked). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process: the host name, the pid and a signal-0 liveness probe. */
export function thisProcess(): ProcessIdentity {
  return { host: hostname(), pid: process.pid, isAlive: isProcessAlive };
}

/** The holder name of this process for `tag` (the scheduler's random tag): `<host>:<pid>:<tag>`. */
export function processLeaseHolder(
  tag: string,
  identity: Omit<ProcessIdentity, 'isAlive'> = thisProcess(),
): string {
  return `${identity.host}:${identity.pid}:${tag}`;
}

/**
 * The holder name of a run's leases in this process: `<host>:<pid>:run:<runId>`, so that whoever finds the
 * lease later can tell which run and which process hold it, and whether that process still lives.
 */
export function runLeaseHolder(
  runId: string,
  identity: Omit<ProcessIdentity, 'isAlive'> = thisProcess(),
): string {
  return processLeaseHolder(`${RUN_TAG}${runId}`, identity);
}

/** Reads a holder name written by `processLeaseHolder` or `runLeaseHolder`; undefined for any other. */
export function parseLeaseHolder(holder: string): LeaseHolder | undefined {
  const match = HOLDER.exec(holder);
  if (match === null) return undefined;
  const tag = match[3] as string;
  return {
    host: match[1] as string,
    pid: Number(match[2]),
    runId: tag.startsWith(RUN_TAG) ? tag.slice(RUN_TAG.length) : undefined,
  };
}

/** Whether the holder named `holder` still lives, seen from `identity` (this process by default). */
export function holderState(holder: string, identity: ProcessIdentity = thisProcess()): HolderState {
  const parsed = parseLeaseHolder(holder);
  if (parsed === undefined) return 'unknown';
  if (parsed.host !== identity.host) return 'other_host';
  if (parsed.pid === identity.pid) return 'this_process';
  return identity.isAlive(parsed.pid) ? 'alive' : 'gone';
}
