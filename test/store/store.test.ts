import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { StoreTarget } from './store.contract.js';
import { runStoreContract } from './store.contract.js';

const POSTGRES_URL =
  process.env['NOTION_SYNC_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function sqliteFileTarget(): StoreTarget {
  let dir = '';
  return {
    name: 'sqlite (file)',
    shared: true,
    setup: async () => {
      dir = await mkdtemp(join(tmpdir(), 'notion-sync-store-'));
    },
    open: (options) => openStore(`sqlite:${join(dir, 'store.db')}`, options),
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
}

function sqliteMemoryTarget(): StoreTarget {
  return {
    name: 'sqlite (:memory:)',
    shared: false,
    setup: async () => {},
    open: (options) => openStore(':memory:', options),
    teardown: async () => {},
  };
}

function postgresTarget(): StoreTarget {
  // A fresh schema per test file, dropped afterwards.
  const schema = `store_test_${process.pid}_${Date.now().toString(36)}`;
  return {
    name: 'postgres',
    shared: true,
    setup: async () => {},
    open: (options) => openStore(POSTGRES_URL, { ...options, schema }),
    teardown: async () => {
      const client = new pg.Client(POSTGRES_URL);
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

const TARGETS: StoreTarget[] = [sqliteFileTarget(), sqliteMemoryTarget()];
for (const target of TARGETS) describe(`Store on ${target.name}`, () => runStoreContract(target));

const reachable = await postgresReachable(POSTGRES_URL);
const where = POSTGRES_URL.replace(/\/\/[^@/]*@/, '//');
if (reachable) {
  describe('Store on postgres', () => runStoreContract(postgresTarget()));
} else if (process.env['CI'] === 'true') {
  describe('Store on postgres', () => {
    beforeAll(() => {
      throw new Error(
        `PostgreSQL not reachable at ${where}: CI requires it (set NOTION_SYNC_TEST_POSTGRES_URL).`,
      );
    });
    runStoreContract(postgresTarget());
  });
} else {
  console.warn(`PostgreSQL not reachable at ${where}: skipping the PostgreSQL store tests.`);
  describe.skip('Store on postgres', () => runStoreContract(postgresTarget()));
}
