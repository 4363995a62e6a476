import type { Clock } from '../../src/clock.js';
import type { Job, JobOutcome, JobRunContext } from '../../src/schedule/job.js';
import type { Schedule } from '../../src/schedule/parse-schedule.js';
import type { Store } from '../../src/store/store.js';

/** What a fake run does between recording its start and its end. */
export type FakeBehaviour = (
  context: JobRunContext,
  attempt: number,
) => Promise<Omit<JobOutcome, 'runId'>> | Omit<JobOutcome, 'runId'>;

export const succeed: FakeBehaviour = () => ({ status: 'succeeded' });

/** Shared by fake jobs standing for one job in two processes. */
export interface RunLog {
  /** Clock time of each start. */
  readonly starts: number[];
  running: number;
  maxRunning: number;
}

export function newRunLog(): RunLog {
  return { starts: [], running: 0, maxRunning: 0 };
}

/**
 * A job that records its run in the store as the real engines do (start, report the id, finish), and in
 * between does what its behaviour says.
 */
export class FakeJob implements Job {
  readonly kind = 'sync' as const;
  readonly name: string;
  readonly contexts: JobRunContext[] = [];
  exclusiveGroup?: string;
  behaviour: FakeBehaviour;

  constructor(
    readonly id: string,
    readonly schedule: Schedule,
    readonly store: Store,
    readonly clock: Clock,
    behaviour: FakeBehaviour = succeed,
    readonly log: RunLog = newRunLog(),
  ) {
    this.name = id;
    this.behaviour = behaviour;
  }

  get starts(): number[] {
    return this.log.starts;
  }

  async run(context: JobRunContext): Promise<JobOutcome> {
    this.contexts.push(context);
    this.log.starts.push(this.clock.now());
    this.log.running++;
    this.log.maxRunning = Math.max(this.log.maxRunning, this.log.running);
    try {
      const run = await this.store.runs.start({ kind: 'sync', target: this.id, trigger: context.trigger });
      context.onRunStarted?.(run.id);
      const outcome = await this.behaviour(context, this.log.starts.length);
      await this.store.runs.finish(run.id, {
        status: outcome.status,
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
      });
      return { runId: run.id, ...outcome };
    } finally {
      this.log.running--;
    }
  }
}

/** A promise with its resolver, to hold a fake run open until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves when `signal` aborts. */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Lets pending I/O and promise chains run (real event-loop turns, no virtual time). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}
