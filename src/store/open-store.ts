import { Migrator } from 'kysely';
import type { Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import { systemClock } from '../system-clock.js';
import { postgresDialect } from './dialects/postgres.js';
import { sqliteDialect } from './dialects/sqlite.js';
import { KyselyStore } from './kysely-store.js';
import { StoreMigrationProvider } from './migrations/index.js';
import type { Store } from './store.js';
import type { StoreDialect } from './store-dialect.js';

/** The store used when none is configured: a SQLite file in the working directory. */
export const DEFAULT_STORE_URL = 'sqlite:./notion-sync.db';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** Source of "now" for timestamps and lease expiry. @default systemClock */
  clock?: Clock;
  /**
   * PostgreSQL only: the schema to use (`search_path`), created when missing. Ignored by SQLite.
   * @default the server's default (`public`)
   */
  schema?: string;
  /** Run pending migrations on open. @default true */
  migrate?: boolean;
}

/** Which dialect serves `url`, and the location it is given. */
export function resolveStoreUrl(url: string): { dialect: StoreDialect; location: string } {
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: postgresDialect, location: url };
  if (url === ':memory:') return { dialect: sqliteDialect, location: ':memory:' };
  if (/^sqlite:/i.test(url)) {
    const location = url.replace(/^sqlite:(\/\/)?/i, '');
    if (location === '') {
      throw new StoreError(`The store URL "${url}" names no file.`, {
        hint: 'Use sqlite:<path>, e.g. sqlite:./notion-sync.db, or sqlite::memory:.',
      });
    }
    return { dialect: sqliteDialect, location };
  }
  // Anything with a scheme other than a Windows drive letter is a database we do not support.
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(url);
  if (scheme) {
    throw new StoreError(`Unsupported store URL scheme "${scheme[1]}:".`, {
      hint: 'Use a SQLite path (sqlite:./notion-sync.db) or a postgres:// URL.',
    });
  }
  return { dialect: sqliteDialect, location: url };
}

/**
 * Opens the store at `url`: `sqlite:<path>`, a bare file path, `:memory:`, or `postgres://…` /
 * `postgresql://…`. Applies the connection settings (SQLite: WAL, busy timeout, foreign keys), runs the
 * pending migrations and returns the `Store`. Throws a `StoreError` naming the migration that failed.
 *
 * ### Examples
 * ```ts
 * import { openStore } from 'notion-sync';
 * const store = await openStore(process.env.NOTION_SYNC_STORE ?? 'sqlite:./notion-sync.db');
 * const runs = await store.runs.list({ limit: 10 });
 * await store.close();
 * ```
 */
export async function openStore(
  url: string = DEFAULT_STORE_URL,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const { dialect, location } = resolveStoreUrl(url);
  const dialectOptions = options.schema === undefined ? {} : { schema: options.schema };
  let db;
  try {
    db = dialect.createKysely(location, dialectOptions);
  } catch (cause) {
    if (cause instanceof StoreError) throw cause;
    throw new StoreError(`Could not open the ${dialect.name} store.`, {
      hint: 'Check that the path is writable (SQLite) or that the URL is valid (PostgreSQL).',
      cause,
    });
  }
  try {
    const schema = await dialect.prepare(db, dialectOptions);
    if (options.migrate ?? true) await migrateStore(db, dialect, schema);
  } catch (error) {
    await db.destroy().catch(() => {});
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Could not connect to the ${dialect.name} store.`, {
      hint: 'Check that the database is running and reachable, and that the URL and credentials are right.',
      cause: error,
    });
  }
  return new KyselyStore(db, { dialect, clock: options.clock ?? systemClock });
}

async function migrateStore(
  db: Parameters<StoreDialect['prepare']>[0],
  dialect: StoreDialect,
  schema: string | undefined,
): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: name ours, or another
  // schema's `kysely_migration` would be taken for this store's.
  const migrator = new Migrator({
    db,
    provider: new StoreMigrationProvider(dialect),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (failed !== undefined) {
    throw new StoreError(`Store migration "${failed.migrationName}" failed on ${dialect.name}.`, {
      hint: 'The store was left at the previous migration. Fix the cause below, or restore a backup, then retry.',
      cause: error,
    });
  }
  if (error !== undefined) {
    throw new StoreError(`Store migrations could not run on ${dialect.name}.`, {
      hint: 'Check that the database is reachable and that this notion-sync is not older than the store.',
      cause: error,
    });
  }
}
