import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import {
  dropSchema,
  freshSchemaName,
  POSTGRES_TEST_URL,
  POSTGRES_TEST_WHERE,
  postgresReachable,
} from './postgres-test-url.js';
import type { StoreTarget } from './store.contract.js';
import { runStoreContract } from './store.contract.js';

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
  const schema = freshSchemaName('store_test');
  return {
    name: 'postgres',
    shared: true,
    setup: async () => {},
    open: (options) => openStore(POSTGRES_TEST_URL, { ...options, schema }),
    teardown: () => dropSchema(schema),
  };
}

const TARGETS: StoreTarget[] = [sqliteFileTarget(), sqliteMemoryTarget()];
for (const target of TARGETS) describe(`Store on ${target.name}`, () => runStoreContract(target));

const reachable = await postgresReachable();
const where = POSTGRES_TEST_WHERE;
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
