import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../src/errors.js';
import { loadConfig, resolveConfig } from '../../src/config/load-config.js';

const ctx = { cwd: '/work/project', env: {} };

function issuesOf(raw: unknown): { path: string; message: string }[] {
  try {
    resolveConfig(raw, ctx);
  } catch (e) {
    if (e instanceof InvalidConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected the config to be refused');
}

describe(resolveConfig, () => {
  it('applies defaults: SQLite in the working directory, the emulator without a token', () => {
    const c = resolveConfig({}, ctx);
    expect(c.store).toBe('sqlite:/work/project/notion-sync.db');
    expect(c.useEmulator).toBe(true);
    expect(c.token).toBeUndefined();
    expect(c.mirrors).toEqual([]);
    expect(c.consistencyBufferMs).toBe(15_000);
    expect(c.rediscoverAfterMs).toBeUndefined();
  });

  it('takes rediscoverAfterMs as a whole number of milliseconds, 0 up to a week', () => {
    expect(resolveConfig({ rediscoverAfterMs: 0 }, ctx).rediscoverAfterMs).toBe(0);
    expect(resolveConfig({ rediscoverAfterMs: 5 * 60_000 }, ctx).rediscoverAfterMs).toBe(300_000);
    for (const bad of [-1, 1.5, 8 * 24 * 3_600_000, '1h']) {
      expect(() => resolveConfig({ rediscoverAfterMs: bad }, ctx)).toThrow(/rediscoverAfterMs/);
    }
  });

  it('takes the token from the environment only', () => {
    const c = resolveConfig({}, { ...ctx, env: { NOTION_TOKEN: 'ntn_abcdefghijklmnopqrstuvwxyz' } });
    expect(c.useEmulator).toBe(false);
    expect(c.token).toBe('ntn_abcdefghijklmnopqrstuvwxyz');
  });

  it('keeps postgres URLs and resolves SQLite paths against the config directory', () => {
    expect(resolveConfig({ store: 'postgres://u@h/db' }, ctx).store).toBe('postgres://u@h/db');
    expect(resolveConfig({ store: 'sqlite:data/x.db' }, ctx).store).toBe('sqlite:/work/project/data/x.db');
    expect(resolveConfig({ store: ':memory:' }, ctx).store).toBe('sqlite::memory:');
  });

  it('names the path and the expectation of each wrong field', () => {
    const issues = issuesOf({ mirrors: [{ source: 'abc', bodies: 'yes' }, { schedule: '90s' }], extra: 1 });
    expect(issues).toContainEqual({ path: 'mirrors[0].bodies', message: 'expected boolean, got string' });
    expect(issues).toContainEqual({ path: 'mirrors[1].source', message: 'expected string, got nothing' });
    expect(issues.find((i) => i.path === 'mirrors[1].schedule')?.message).toMatch(/not a schedule/);
    expect(issues).toContainEqual({ path: 'extra', message: 'unknown field' });
  });

  it('refuses schedules out of range and bad cron', () => {
    expect(issuesOf({ mirrors: [{ source: 'x', schedule: '8d' }] })[0]?.message).toMatch(/out of range/);
    expect(issuesOf({ mirrors: [{ source: 'x', schedule: '* * * * 99' }] })[0]?.message).toMatch(/cron/);
  });

  it('refuses a config that contains a token, without echoing it', () => {
    const secret = 'secret_0123456789abcdefghijABCDEFGHIJ';
    for (const raw of [{ notion: { token: 'whatever-value' } }, { mirrors: [{ source: secret }] }]) {
      try {
        resolveConfig(raw, ctx);
        expect.unreachable('should refuse');
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidConfigError);
        expect((e as Error).message).toMatch(/secret/);
        expect((e as InvalidConfigError).hint).toMatch(/NOTION_TOKEN/);
        expect(JSON.stringify((e as InvalidConfigError).toJSON())).not.toContain(secret);
        expect((e as Error).message).not.toContain('whatever-value');
      }
    }
  });
});

describe(loadConfig, () => {
  it('loads JSON, .mjs and .ts configs (defineConfig)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ns-config-'));
    await writeFile(path.join(dir, 'a.json'), JSON.stringify({ mirrors: [{ source: 'abc' }] }));
    await writeFile(path.join(dir, 'b.mjs'), 'export default { store: "x.db" };');
    const defineConfigPath = path.resolve('src/config/define-config.ts');
    await writeFile(
      path.join(dir, 'notion-sync.config.ts'),
      `import { defineConfig } from ${JSON.stringify(defineConfigPath)};\n` +
        `const n: number = 5;\nexport default defineConfig({ consistencyBufferMs: n * 1000 });\n`,
    );
    expect((await loadConfig({ cwd: dir, configPath: 'a.json', env: {} })).mirrors).toEqual([
      { source: 'abc' },
    ]);
    expect((await loadConfig({ cwd: dir, configPath: 'b.mjs', env: {} })).store).toBe(`sqlite:${dir}/x.db`);
    expect((await loadConfig({ cwd: dir, env: {} })).consistencyBufferMs).toBe(5_000);
  });

  it('reports invalid JSON and a missing file clearly', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ns-config-'));
    await writeFile(path.join(dir, 'bad.json'), '{ "store": "x", }');
    await expect(loadConfig({ cwd: dir, configPath: 'bad.json', env: {} })).rejects.toThrow(/not valid JSON/);
    await expect(loadConfig({ cwd: dir, configPath: 'none.json', env: {} })).rejects.toThrow(
      /does not exist/,
    );
  });
});
