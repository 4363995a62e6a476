import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@notionhq/workers';
import { describe, expect, it } from 'vitest';
import { WorkerError } from '../../src/errors.js';
import { loadWorker, loadWorkerModule } from '../../src/workers/load-worker.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function loadError(path: string): Promise<WorkerError> {
  const error = await loadWorker(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkerError);
  return error as WorkerError;
}

describe(loadWorker, () => {
  it('loads a TypeScript module through tsx and returns its Worker (from the SDK copy tsx loaded for it)', async () => {
    const worker = await loadWorker(fixture('good-worker.ts'));
    // tsx's tsImport loads the module, and the SDK it imports, in its own namespace: another copy of the SDK,
    // which is why loadWorker also accepts a Worker by shape.
    expect(worker.constructor.name).toBe('Worker');
    expect(typeof worker.run).toBe('function');
    expect((worker.manifest as { capabilities: { key: string }[] }).capabilities.map((c) => c.key)).toEqual([
      'thingsSync',
    ]);
  });

  it('loads a plain JavaScript module directly', async () => {
    const worker = await loadWorker(fixture('good-worker.js'));
    expect(worker).toBeInstanceOf(Worker);
    const result = (await worker.run('thingsSync', { state: undefined }, { concreteOutput: true })) as {
      changes: unknown[];
    };
    expect(result.changes).toHaveLength(1);
  });

  it('accepts a Worker of another SDK copy by its shape (manifest + run)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ns-worker-'));
    const path = join(dir, 'duck.mjs');
    await writeFile(
      path,
      `export default { get manifest() { return { databases: [], pacers: [], capabilities: [] }; }, async run() { return {}; } };`,
    );
    const worker = await loadWorker(path);
    expect(worker.manifest).toEqual({ databases: [], pacers: [], capabilities: [] });
  });

  it('refuses a module whose default export is not a Worker, naming the file, what it found and the named Worker', async () => {
    const error = await loadError(fixture('not-a-worker.ts'));
    expect(error.message).toContain('not-a-worker.ts');
    expect(error.message).toContain('a default export of type object without manifest and run()');
    expect(error.message).toContain('It exports a Worker as "worker"');
    expect(error.hint).toMatch(/export default worker/);
  });

  it('refuses a module without a default export', async () => {
    const error = await loadError(fixture('no-default.mjs'));
    expect(error.message).toMatch(/no-default\.mjs has no default export/);
  });

  it('reports a syntax error with the file name and the cause', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ns-worker-'));
    const path = join(dir, 'broken.ts');
    await writeFile(path, `const worker = new Worker(;\nexport default worker;\n`);
    const error = await loadError(path);
    expect(error.message).toContain(`Could not load worker module ${path}`);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reports a missing file', async () => {
    const error = await loadError(fixture('does-not-exist.ts'));
    expect(error.message).toContain('does-not-exist.ts');
  });
});

describe(loadWorkerModule, () => {
  it('loads a module and validates its manifest, naming the file in errors', async () => {
    const mod = await loadWorkerModule(fixture('good-worker.ts'));
    expect(mod.modulePath).toBe(fixture('good-worker.ts'));
    expect(mod.description.syncs.map((s) => [s.key, s.mode, s.schedule])).toEqual([
      ['thingsSync', 'incremental', { type: 'continuous' }],
    ]);
    expect(mod.description.databases[0]?.lifecycle).toBe('attached');
    const dir = await mkdtemp(join(tmpdir(), 'ns-worker-'));
    const path = join(dir, 'bad-manifest.mjs');
    await writeFile(
      path,
      `export default { get manifest() { return { databases: [], pacers: [], capabilities: [{ _tag: 'sync', key: 's', config: { databaseKey: 'x', primaryKeyProperty: 'K' } }] }; }, async run() { return {}; } };`,
    );
    await expect(loadWorkerModule(path)).rejects.toThrow(`The manifest of ${path} has 1 problem(s)`);
  });
});
