import { resolve } from 'node:path';
import { Worker } from '@notionhq/workers';
import { importModule } from '../config/import-module.js';
import { WorkerError } from '../errors.js';
import { readWorkerManifest, type WorkerDescription } from './worker-manifest.js';

/**
 * What notion-sync needs of a worker: its manifest and `run`. A `Worker` of `@notionhq/workers` satisfies it;
 * so does a `Worker` of another installed copy of the SDK (checked structurally).
 */
export interface LoadedWorker {
  readonly manifest: unknown;
  run(key: string, context: unknown, options?: { concreteOutput?: true }): Promise<unknown>;
}

function isWorkerLike(value: unknown): value is LoadedWorker {
  if (value instanceof Worker) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { run?: unknown; manifest?: unknown };
  // `manifest` is a getter on the prototype; reading it validates nothing yet, it only has to exist.
  return (
    typeof candidate.run === 'function' && 'manifest' in candidate && typeof candidate.manifest === 'object'
  );
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'no default export';
  if (value === null) return 'a default export of null';
  if (typeof value === 'function')
    return `a default export that is a function (${value.name || 'anonymous'})`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return `a default export of type ${name && name !== 'Object' ? name : 'object'} without manifest and run()`;
  }
  return `a default export of type ${typeof value}`;
}

/**
 * Loads a worker module (`.ts`/`.mts` through tsx, `.js`/`.mjs` directly) and returns its default export, checked
 * to be a `Worker`.
 *
 * @param modulePath Path of the module, absolute or relative to the current directory.
 * @throws WorkerError naming the file when it cannot be imported (missing, syntax error, throwing at load) or
 *   when its default export is not a `Worker`.
 */
export async function loadWorker(modulePath: string): Promise<LoadedWorker> {
  const absolute = resolve(modulePath);
  let module: Record<string, unknown>;
  try {
    module = await importModule(absolute);
  } catch (e) {
    throw new WorkerError(`Could not load worker module ${absolute}: ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
      hint: 'Check that the file exists and compiles (run it with `npx tsx <file>` to see the full error).',
    });
  }
  const candidate = module.default;
  if (!isWorkerLike(candidate)) {
    const named = Object.entries(module)
      .filter(([k, v]) => k !== 'default' && isWorkerLike(v))
      .map(([k]) => k);
    throw new WorkerError(
      `Worker module ${absolute} has ${describeValue(candidate)}; expected a default export of a Worker from @notionhq/workers.` +
        (named.length ? ` It exports a Worker as ${named.map((n) => `"${n}"`).join(', ')}.` : ''),
      { hint: 'Add `const worker = new Worker(); export default worker;` to the module.' },
    );
  }
  return candidate;
}

/** A loaded worker module with its validated description. */
export interface WorkerModule {
  /** Absolute path of the module. */
  readonly modulePath: string;
  readonly worker: LoadedWorker;
  readonly description: WorkerDescription;
}

/**
 * Loads a worker module and reads its manifest ({@link loadWorker} + `readWorkerManifest`).
 *
 * Load each module once per process and keep the result: every load of a `.ts` module gets a fresh copy of the
 * module and of the SDK it imports (tsx loads it in its own namespace), with its own pacer state.
 *
 * @throws WorkerError when the module cannot be loaded, has no default `Worker`, or declares an invalid manifest.
 */
export async function loadWorkerModule(modulePath: string): Promise<WorkerModule> {
  const absolute = resolve(modulePath);
  const worker = await loadWorker(absolute);
  return { modulePath: absolute, worker, description: readWorkerManifest(worker.manifest, absolute) };
}
