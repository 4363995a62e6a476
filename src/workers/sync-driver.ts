import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { Cover, Icon } from '@notionhq/workers/types';
import { ExecutionError, RateLimitError } from '@notionhq/workers/error';
import type { Clock } from '../clock.js';
import {
  CancelledError,
  NotionSyncError,
  NotionSyncErrorCode,
  WorkerError,
  redactSecrets,
  registerSecret,
} from '../errors.js';
import type { NotionSyncErrorOptions } from '../errors.js';
import type { LogLevel } from '../logger.js';
import { SystemClock } from '../system-clock.js';
import type { LoadedWorker } from './load-worker.js';
import { plainTextOfTokens } from './token-values.js';
import {
  getWorkerDatabase,
  getWorkerSync,
  readWorkerManifest,
  type WorkerDescription,
} from './worker-manifest.js';

/** The persisted state of one pacer, as the SDK reads and returns it. */
export interface PacerEntryState {
  /** When the pacer last scheduled a request, ms since the epoch (0 if never). */
  readonly lastScheduledAtMs: number;
  readonly allowedRequests: number;
  readonly intervalMs: number;
}

/** Pacer key → state. Keep one map per worker module and hand it to every step of every sync of that module. */
export type PacerStates = Readonly<Record<string, PacerEntryState>>;

/** A create-or-update of one row, as the worker returned it (properties still in the SDK's token form). */
export interface WorkerUpsertChange {
  readonly kind: 'upsert';
  readonly targetDatabaseKey: string;
  /** The row's primary key; equals the plain text of its primary-key property. */
  readonly key: string;
  /** Property name → SDK value (convert with `tokensToPropertyValues`). Absent properties stay unchanged. */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly icon?: Icon;
  readonly cover?: Cover;
  /** The page body as markdown. Absent: leave the body; `''`: clear it. */
  readonly pageContentMarkdown?: string;
  /** ISO 8601 time of the last upstream change; an upsert strictly older than the last written one is skipped. */
  readonly upstreamUpdatedAt?: string;
}

/** A delete of one row (trash its page). */
export interface WorkerDeleteChange {
  readonly kind: 'delete';
  readonly targetDatabaseKey: string;
  readonly key: string;
}

/** One change of a step, in the worker's order. */
export type WorkerChange = WorkerUpsertChange | WorkerDeleteChange;

/** One line the worker wrote to the console during a step. */
export interface WorkerLogEntry {
  readonly level: LogLevel;
  /** The line as `console.log` would format it, secrets redacted, at most {@link MAX_LOG_LINE_CHARS} characters. */
  readonly message: string;
  /** When it was written, ms since the epoch. */
  readonly atMs: number;
}

/** The outcome of one `execute` call. */
export interface StepResult {
  readonly changes: readonly WorkerChange[];
  /** True when the worker wants another call with `nextState` in the same cycle. */
  readonly hasMore: boolean;
  /** The worker's `nextState` (JSON-serialisable by contract), `undefined` when it returned none. */
  readonly nextState: unknown;
  /** Every declared pacer's state after the step: persist it and pass it to the next step of any sync. */
  readonly nextPacerStates: PacerStates;
  /** The worker's console output during the step, in order. */
  readonly logs: readonly WorkerLogEntry[];
  readonly durationMs: number;
}

/** The worker asked to be retried later (it threw the SDK's `RateLimitError`). */
export class WorkerRateLimitError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.Worker;
  override readonly name = 'WorkerRateLimitError';
  constructor(
    readonly syncKey: string,
    /** How long the worker's upstream asked us to wait, in ms; `undefined` when it did not say. */
    readonly retryAfterMs: number | undefined,
    options?: NotionSyncErrorOptions,
  ) {
    super(
      `Sync "${syncKey}" was rate limited by its upstream API` +
        (retryAfterMs === undefined ? '.' : ` (retry after ${retryAfterMs} ms).`),
      {
        hint: 'The run backs off and tries again; lower the worker pacer budget if this repeats.',
        ...options,
      },
    );
  }
}

/** Environment for a worker's `context.notion` (workers-runtime.md). */
export interface WorkerEnvironment {
  /** Token `context.notion` authenticates with. Registered as a secret (redacted everywhere). */
  readonly NOTION_API_TOKEN?: string;
  /** Base URL of the Notion API (or the emulator) `context.notion` talks to. */
  readonly NOTION_API_BASE_URL?: string;
}

export interface ExecuteStepOptions {
  /** The state returned by the previous step (`undefined` for the first step of a sync or cycle). */
  readonly state: unknown;
  /** The pacer states persisted for the module; pacers missing here start fresh. @default {} */
  readonly pacerStates?: PacerStates;
  /** The module's description, if already read (saves re-validating the manifest). */
  readonly description?: WorkerDescription;
  /** Set for the duration of the step. Steps with different values wait for each other (the env is global). */
  readonly env?: WorkerEnvironment;
  /** Called with each console line as it is written (for live output), besides collecting it. */
  readonly onLog?: (entry: WorkerLogEntry) => void;
  /** @default the system clock */
  readonly clock?: Clock;
  /**
   * Stop waiting for `execute` after this long (ms) and fail the step. The worker cannot be interrupted: its SDK
   * copy stays locked until its `execute` really ends. @default DEFAULT_STEP_TIMEOUT_MS (10 minutes)
   */
  readonly timeoutMs?: number;
  /** Aborting stops waiting for the step (as a timeout does) with a CancelledError. */
  readonly signal?: AbortSignal;
}

/** How long a step may run before it fails. */
export const DEFAULT_STEP_TIMEOUT_MS = 10 * 60_000;

/** At most this many console lines are kept per step; further lines are counted in a closing note. */
export const MAX_LOG_ENTRIES_PER_STEP = 1_000;
/** Longer console lines are cut to this many characters. */
export const MAX_LOG_LINE_CHARS = 8_000;

// ---------------------------------------------------------------------------------------------------------
// One step at a time per SDK copy: the SDK keeps pacer state in a module global (pacer_internal.ts), shared by
// every worker module that imports that copy. A Worker's prototype identifies its SDK copy.

const sdkLocks = new WeakMap<object, Promise<void>>();

/**
 * Runs `fn` when no other step of the same SDK copy runs. `fn` may hand over a promise that keeps the lock after
 * `fn` returned: a step that timed out keeps its worker's SDK copy until its `execute` really ends.
 */
async function withSdkLock<T>(
  worker: LoadedWorker,
  fn: (holdUntil: (running: Promise<unknown>) => void) => Promise<T>,
): Promise<T> {
  const key = Object.getPrototypeOf(worker) as object;
  const previous = sdkLocks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  sdkLocks.set(key, tail);
  await previous;
  const holds: Promise<unknown>[] = [];
  try {
    return await fn((running) => holds.push(running));
  } finally {
    void Promise.allSettled(holds).then(() => {
      release();
      if (sdkLocks.get(key) === tail) sdkLocks.delete(key);
    });
  }
}

/** Waits for `running`, at most `timeoutMs` and until `signal` aborts. */
async function settleWithin<T>(
  running: Promise<T>,
  syncKey: string,
  clock: Clock,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const timeout = clock.sleep(timeoutMs, stop.signal).then(
      () => {
        throw new WorkerError(`Sync "${syncKey}" did not finish its execute within ${timeoutMs} ms`, {
          hint: 'Return smaller batches (hasMore: true with a nextState), or raise the step timeout.',
        });
      },
      () => {
        if (signal?.aborted) throw new CancelledError(`Step of sync "${syncKey}" was cancelled`);
        return new Promise<never>(() => {});
      },
    );
    if (signal?.aborted) throw new CancelledError(`Step of sync "${syncKey}" was cancelled`);
    return await Promise.race([running, timeout]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Environment: process-wide, so steps that need different values run one after the other.

/**
 * The variables a step manages. `NOTION_INPUT_PAYLOAD_PATH` is always cleared: when set, the SDK reads the step's
 * input from that file and ignores the state we pass.
 */
const ENV_KEYS = ['NOTION_API_TOKEN', 'NOTION_API_BASE_URL', 'NOTION_INPUT_PAYLOAD_PATH'] as const;
type ManagedEnv = Partial<Record<(typeof ENV_KEYS)[number], string>>;
let envHolder: { signature: string; count: number; saved: Record<string, string | undefined> } | undefined;
const envWaiters: (() => void)[] = [];

async function acquireEnv(requested: WorkerEnvironment | undefined): Promise<() => void> {
  registerSecret(requested?.NOTION_API_TOKEN);
  // Without an explicit environment the worker keeps the process's own token and base URL.
  const env: ManagedEnv = requested
    ? { NOTION_API_TOKEN: requested.NOTION_API_TOKEN, NOTION_API_BASE_URL: requested.NOTION_API_BASE_URL }
    : {
        NOTION_API_TOKEN: process.env.NOTION_API_TOKEN,
        NOTION_API_BASE_URL: process.env.NOTION_API_BASE_URL,
      };
  const signature = JSON.stringify(ENV_KEYS.map((k) => env[k] ?? null));
  while (envHolder !== undefined && envHolder.signature !== signature) {
    await new Promise<void>((r) => envWaiters.push(r));
  }
  if (envHolder === undefined) {
    const saved: Record<string, string | undefined> = {};
    for (const k of ENV_KEYS) {
      saved[k] = process.env[k];
      const value = env[k];
      if (value === undefined) delete process.env[k];
      else process.env[k] = value;
    }
    envHolder = { signature, count: 0, saved };
  }
  envHolder.count += 1;
  return () => {
    if (envHolder === undefined) return;
    envHolder.count -= 1;
    if (envHolder.count > 0) return;
    for (const k of ENV_KEYS) {
      const value = envHolder.saved[k];
      if (value === undefined) delete process.env[k];
      else process.env[k] = value;
    }
    envHolder = undefined;
    for (const wake of envWaiters.splice(0)) wake();
  };
}

// ---------------------------------------------------------------------------------------------------------
// Console capture: console methods are patched while any step runs, and each line goes to the step whose
// async context wrote it (AsyncLocalStorage), so concurrent steps never see each other's output.

type ConsoleMethod = 'debug' | 'log' | 'info' | 'warn' | 'error';
const CONSOLE_LEVELS: Readonly<Record<ConsoleMethod, LogLevel>> = {
  debug: 'debug',
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
};
const logSink = new AsyncLocalStorage<(level: LogLevel, args: unknown[]) => void>();
let consoleUsers = 0;
let originalConsole: Partial<Record<ConsoleMethod, (...args: unknown[]) => void>> = {};

/* eslint-disable no-console -- capturing the worker's console is this function's job */
function captureConsole(): () => void {
  if (consoleUsers++ === 0) {
    originalConsole = {};
    for (const method of Object.keys(CONSOLE_LEVELS) as ConsoleMethod[]) {
      const original = console[method] as (...args: unknown[]) => void;
      originalConsole[method] = original;
      console[method] = (...args: unknown[]) => {
        const sink = logSink.getStore();
        if (sink) sink(CONSOLE_LEVELS[method], args);
        else original.apply(console, args);
      };
    }
  }
  return () => {
    if (--consoleUsers > 0) return;
    for (const [method, original] of Object.entries(originalConsole))
      console[method as ConsoleMethod] = original;
    originalConsole = {};
  };
}
/* eslint-enable no-console */

// ---------------------------------------------------------------------------------------------------------

function initialPacerStates(
  description: WorkerDescription,
  stored: PacerStates,
): Record<string, PacerEntryState> {
  const pacers: Record<string, PacerEntryState> = {};
  for (const p of description.pacers) {
    // The budget comes from the declaration (it may have changed since the state was stored); the schedule from
    // the stored state, which every sync sharing the key advances, so they share the budget.
    pacers[p.key] = {
      lastScheduledAtMs: stored[p.key]?.lastScheduledAtMs ?? 0,
      allowedRequests: p.allowedRequests,
      intervalMs: p.intervalMs,
    };
  }
  return pacers;
}

function isPacerEntry(value: unknown): value is PacerEntryState {
  const v = value as Partial<PacerEntryState> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.lastScheduledAtMs === 'number' &&
    typeof v.allowedRequests === 'number' &&
    typeof v.intervalMs === 'number'
  );
}

/** The SDK error classes are matched by name too, so that a Worker built on another copy of the SDK maps alike. */
function isRateLimit(e: unknown): e is { retryAfter?: number } {
  return e instanceof RateLimitError || (e instanceof Error && e.name === 'RateLimitError');
}

function mapWorkerFailure(syncKey: string, e: unknown): NotionSyncError {
  if (isRateLimit(e)) {
    const seconds = e.retryAfter;
    const retryAfterMs =
      typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
        ? Math.round(seconds * 1000)
        : undefined;
    return new WorkerRateLimitError(syncKey, retryAfterMs, { cause: e });
  }
  const isExecution = e instanceof ExecutionError || (e instanceof Error && e.name === 'ExecutionError');
  const cause = isExecution ? (e as { cause?: unknown }).cause : e;
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new WorkerError(
    isExecution
      ? `Sync "${syncKey}" failed in the worker's execute: ${detail}`
      : `Sync "${syncKey}" could not be run: ${detail}`,
    {
      cause,
      hint: 'See the run logs for the worker output; fix the worker or its upstream and trigger again.',
    },
  );
}

function validateChanges(description: WorkerDescription, syncKey: string, raw: unknown): WorkerChange[] {
  const bad = (index: number, message: string): never => {
    throw new WorkerError(`Sync "${syncKey}" returned an invalid change #${index}: ${message}`, {
      hint: 'Fix the changes the worker execute returns (see @notionhq/workers SyncChange).',
    });
  };
  if (!Array.isArray(raw)) bad(0, `changes is ${typeof raw}, not an array`);
  return (raw as unknown[]).map((item, index): WorkerChange => {
    const c = item as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null) return bad(index, 'not an object');
    const key = c.key;
    if (typeof key !== 'string' || key === '') return bad(index, 'key must be a non-empty string');
    const target = c.targetDatabaseKey;
    if (typeof target !== 'string' || !description.databases.some((d) => d.key === target)) {
      return bad(
        index,
        `key "${key}": targetDatabaseKey ${JSON.stringify(target)} is not a database of the worker (${description.databases
          .map((d) => `"${d.key}"`)
          .join(', ')})`,
      );
    }
    if (c.type === 'delete') return { kind: 'delete', targetDatabaseKey: target, key };
    if (c.type !== 'upsert')
      return bad(index, `key "${key}": type ${JSON.stringify(c.type)} is neither upsert nor delete`);
    const properties = c.properties;
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      return bad(index, `key "${key}": properties must be an object`);
    }
    const db = getWorkerDatabase(description, target);
    const undeclared = Object.keys(properties).filter((name) => !(name in db.properties));
    if (undeclared.length > 0) {
      return bad(
        index,
        `key "${key}": database "${db.key}" declares no property ${undeclared.map((n) => `"${n}"`).join(', ')}`,
      );
    }
    const pkValue = (properties as Record<string, unknown>)[db.primaryKeyProperty];
    const pkText = plainTextOfTokens(pkValue);
    if (pkText === undefined) {
      return bad(
        index,
        `key "${key}": the primary key property "${db.primaryKeyProperty}" is missing or not text`,
      );
    }
    if (pkText !== key) {
      return bad(
        index,
        `key "${key}" does not match its primary key property "${db.primaryKeyProperty}" (${JSON.stringify(pkText)})`,
      );
    }
    const upstream = c.upstreamUpdatedAt;
    if (upstream !== undefined && (typeof upstream !== 'string' || Number.isNaN(Date.parse(upstream)))) {
      return bad(
        index,
        `key "${key}": upstreamUpdatedAt ${JSON.stringify(upstream)} is not an ISO 8601 time`,
      );
    }
    const markdown = c.pageContentMarkdown;
    if (markdown !== undefined && typeof markdown !== 'string') {
      return bad(index, `key "${key}": pageContentMarkdown must be a string`);
    }
    return {
      kind: 'upsert',
      targetDatabaseKey: target,
      key,
      properties: properties as Record<string, unknown>,
      ...(c.icon !== undefined ? { icon: c.icon as Icon } : {}),
      ...(c.cover !== undefined ? { cover: c.cover as Cover } : {}),
      ...(markdown !== undefined ? { pageContentMarkdown: markdown } : {}),
      ...(upstream !== undefined ? { upstreamUpdatedAt: upstream } : {}),
    };
  });
}

/**
 * Runs one `execute` of a sync: `worker.run(syncKey, { state, pacers }, { concreteOutput: true })` with every
 * pacer of the module, the worker's console captured, and the result validated.
 *
 * Steps of workers sharing one copy of the SDK run one at a time (the SDK keeps pacer state in a module global).
 *
 * @example
 * ```ts
 * import { loadWorker, executeStep } from 'notion-sync';
 *
 * const worker = await loadWorker('./workers/tasks.ts');
 * let state: unknown = undefined;
 * let pacerStates = {};
 * for (;;) {
 *   const step = await executeStep(worker, 'tasksSync', { state, pacerStates });
 *   // apply step.changes, then persist step.nextState and step.nextPacerStates together
 *   state = step.nextState;
 *   pacerStates = step.nextPacerStates;
 *   if (!step.hasMore) break;
 * }
 * ```
 *
 * @throws WorkerError for an unknown sync, a failing `execute` (with the worker's error as `cause`) or an invalid
 *   result (a change whose key differs from its primary-key value, an unknown target database, ...);
 *   WorkerRateLimitError (with `retryAfterMs`) when the worker threw the SDK's `RateLimitError`.
 *   A thrown error carries the step's console lines in `logs` (see {@link stepLogsOf}).
 */
export async function executeStep(
  worker: LoadedWorker,
  syncKey: string,
  options: ExecuteStepOptions,
): Promise<StepResult> {
  const description = options.description ?? readWorkerManifest(worker.manifest);
  getWorkerSync(description, syncKey);
  const clock = options.clock ?? new SystemClock();
  const logs: WorkerLogEntry[] = [];
  let dropped = 0;
  const sink = (level: LogLevel, args: unknown[]): void => {
    if (logs.length >= MAX_LOG_ENTRIES_PER_STEP) {
      dropped += 1;
      return;
    }
    const text = redactSecrets(format(...args));
    const entry: WorkerLogEntry = { level, message: text.slice(0, MAX_LOG_LINE_CHARS), atMs: clock.now() };
    logs.push(entry);
    options.onLog?.(entry);
  };
  const closeLogs = (): WorkerLogEntry[] =>
    dropped > 0
      ? [...logs, { level: 'warn', message: `${dropped} more console lines were dropped`, atMs: clock.now() }]
      : logs;

  return withSdkLock(worker, async (holdUntil) => {
    const startedAt = clock.now();
    const pacers = initialPacerStates(description, options.pacerStates ?? {});
    const releaseEnv = await acquireEnv(options.env);
    const restoreConsole = captureConsole();
    // The worker's own promise: the console, the environment and the SDK lock stay with it until it settles,
    // even when the caller stops waiting (timeout, cancel).
    const running = logSink
      .run(sink, () => worker.run(syncKey, { state: options.state, pacers }, { concreteOutput: true }))
      .finally(() => {
        restoreConsole();
        releaseEnv();
      });
    holdUntil(running);
    let raw: unknown;
    try {
      raw = await settleWithin(
        running,
        syncKey,
        clock,
        options.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
        options.signal,
      );
    } catch (e) {
      // A timeout or cancel is ours already; anything else came from the worker.
      const error =
        e instanceof WorkerError || e instanceof CancelledError ? e : mapWorkerFailure(syncKey, e);
      throw attachLogs(error, closeLogs());
    }
    try {
      const result = raw as Record<string, unknown> | null;
      if (typeof result !== 'object' || result === null || typeof result.hasMore !== 'boolean') {
        throw new WorkerError(
          `Sync "${syncKey}" returned ${JSON.stringify(raw)?.slice(0, 200)}, not a sync result`,
          { hint: 'execute must return { changes, hasMore, nextState? }.' },
        );
      }
      const changes = validateChanges(description, syncKey, result.changes);
      const returnedPacers = (result.nextPacerStates ?? {}) as Record<string, unknown>;
      const nextPacerStates: Record<string, PacerEntryState> = {};
      for (const [key, given] of Object.entries(pacers)) {
        const entry = returnedPacers[key];
        nextPacerStates[key] = isPacerEntry(entry) ? { ...entry } : given;
      }
      return {
        changes,
        hasMore: result.hasMore,
        nextState: jsonRoundTrip(syncKey, result.nextUserContext),
        nextPacerStates,
        logs: closeLogs(),
        durationMs: clock.now() - startedAt,
      };
    } catch (e) {
      throw attachLogs(e as NotionSyncError, closeLogs());
    }
  });
}

/**
 * The state as the next step will see it after it was persisted: Notion's platform hands state over as JSON, so
 * a `Date` becomes a string and `undefined` members vanish here too, before anything is stored.
 */
function jsonRoundTrip(syncKey: string, state: unknown): unknown {
  if (state === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(state);
  } catch (e) {
    throw new WorkerError(
      `Sync "${syncKey}" returned a nextState that is not JSON: ${(e as Error).message}`,
      {
        hint: 'Return plain data (strings, numbers, arrays, objects) as nextState.',
      },
    );
  }
  return json === undefined ? undefined : (JSON.parse(json) as unknown);
}

const stepLogs = new WeakMap<object, readonly WorkerLogEntry[]>();

function attachLogs<E extends object>(error: E, logs: readonly WorkerLogEntry[]): E {
  stepLogs.set(error, logs);
  return error;
}

/** The console lines of the failed step that threw `error` (empty when `error` did not come from a step). */
export function stepLogsOf(error: unknown): readonly WorkerLogEntry[] {
  return (typeof error === 'object' && error !== null && stepLogs.get(error)) || [];
}
