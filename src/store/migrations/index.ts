import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';
import * as m0001 from './0001-create-runs.js';
import * as m0002 from './0002-create-sync-state.js';
import * as m0003 from './0003-create-key-map.js';
import * as m0004 from './0004-create-replica.js';
import * as m0005 from './0005-create-replica-search.js';
import * as m0006 from './0006-index-runs-keyset.js';
import * as m0007 from './0007-data-source-discovered-at.js';
import * as m0008 from './0008-index-runs-status.js';

/** One migration step; it receives the dialect for the DDL that differs (FTS, triggers, JSON type). */
export interface StoreMigration {
  up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void>;
  down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void>;
}

/** Every migration, by name. Kysely runs them in name order, so names are zero-padded. */
export const storeMigrations: Readonly<Record<string, StoreMigration>> = Object.freeze({
  '0001-create-runs': m0001,
  '0002-create-sync-state': m0002,
  '0003-create-key-map': m0003,
  '0004-create-replica': m0004,
  '0005-create-replica-search': m0005,
  '0006-index-runs-keyset': m0006,
  '0007-data-source-discovered-at': m0007,
  '0008-index-runs-status': m0008,
});

/** Hands the in-code migrations to Kysely's `Migrator`, bound to one dialect. */
export class StoreMigrationProvider implements MigrationProvider {
  readonly #dialect: StoreDialect;
  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, migration] of Object.entries(storeMigrations)) {
      out[name] = {
        up: (db) => migration.up(db, this.#dialect),
        down: (db) => migration.down(db, this.#dialect),
      };
    }
    return out;
  }
}
