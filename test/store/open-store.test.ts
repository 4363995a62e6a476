import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { openStore, resolveStoreUrl } from '../../src/store/open-store.js';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL, postgresReachable } from './postgres-test-url.js';

const postgres = await postgresReachable();

describe(resolveStoreUrl, () => {
  it.each([
    ['sqlite:./notion-sync.db', 'sqlite', './notion-sync.db'],
    ['sqlite:///var/lib/ns.db', 'sqlite', '/var/lib/ns.db'],
    ['sqlite::memory:', 'sqlite', ':memory:'],
    [':memory:', 'sqlite', ':memory:'],
    ['./data/store.db', 'sqlite', './data/store.db'],
    ['C:\\data\\store.db', 'sqlite', 'C:\\data\\store.db'],
    ['postgres://u@h:5432/db', 'postgres', 'postgres://u@h:5432/db'],
    ['postgresql://u@h/db', 'postgres', 'postgresql://u@h/db'],
  ])('%s → %s %s', (url, dialect, location) => {
    const resolved = resolveStoreUrl(url);
    expect(resolved.dialect.name).toBe(dialect);
    expect(resolved.location).toBe(location);
  });

  it('refuses other schemes and an empty sqlite path with a StoreError that says what to use', () => {
    expect(() => resolveStoreUrl('mysql://u@h/db')).toThrow(StoreError);
    expect(() => resolveStoreUrl('mysql://u@h/db')).toThrow(/mysql/);
    expect(() => resolveStoreUrl('sqlite:')).toThrow(StoreError);
  });
});

describe(openStore, () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notion-sync-open-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('enables WAL, a busy timeout and foreign keys on SQLite', async () => {
    const store = await openStore(join(dir, 'a.db'));
    try {
      expect(await store.replicaViews.query('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await store.replicaViews.query('pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect(await store.replicaViews.query('pragma busy_timeout')).toEqual([{ timeout: 5_000 }]);
    } finally {
      await store.close();
    }
  });

  it('names the migration that failed', async () => {
    const file = join(dir, 'conflict.db');
    const raw = new BetterSqlite3(file);
    raw.exec('create table key_map (unrelated text)');
    raw.close();
    const error = await openStore(`sqlite:${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain('0003-create-key-map');
    // The migrations before it committed; reopening after fixing the cause completes the rest.
    const fix = new BetterSqlite3(file);
    expect(fix.prepare('select name from kysely_migration order by name').all()).toEqual([
      { name: '0001-create-runs' },
      { name: '0002-create-sync-state' },
    ]);
    fix.exec('drop table key_map');
    fix.close();
    const store = await openStore(`sqlite:${file}`);
    await store.close();
  });

  it('reports an unreachable PostgreSQL as a StoreError without the password', async () => {
    const error = await openStore('postgres://user:hunter2-secret@127.0.0.1:1/db').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).not.toContain('hunter2');
    expect((error as StoreError).hint).toMatch(/reachable/);
  });

  it('refuses an invalid PostgreSQL schema name', async () => {
    await expect(openStore('postgres://u@127.0.0.1:1/db', { schema: 'x; drop table' })).rejects.toThrow(
      /schema name/,
    );
  });
});

describe.skipIf(!postgres)('openStore on PostgreSQL schemas', () => {
  it('migrates a schema even when another schema already has the migration tables', async () => {
    const [first, second] = [freshSchemaName('open_a'), freshSchemaName('open_b')];
    try {
      await (await openStore(POSTGRES_TEST_URL, { schema: first })).close();
      const store = await openStore(POSTGRES_TEST_URL, { schema: second });
      try {
        const rows = await store.replicaViews.query(
          `select count(*)::int as n from information_schema.tables where table_schema = '${second}'`,
        );
        expect(rows[0]?.['n']).toBeGreaterThanOrEqual(11);
        await store.runs.start({ kind: 'sync', target: 't', trigger: 'manual' });
      } finally {
        await store.close();
      }
    } finally {
      await dropSchema(first);
      await dropSchema(second);
    }
  });
});
