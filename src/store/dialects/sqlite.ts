import BetterSqlite3 from 'better-sqlite3';
import type { DatabaseConnection, Driver, SqliteDatabase, SqliteStatement } from 'kysely';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver } from 'kysely';
import type { Database } from '../schema.js';
import type { StoreDialect } from '../store-dialect.js';

/** How long a writer waits for another process's write lock before failing, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** Prepared statements kept per connection (by SQL text). */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely's SQLite driver opens transactions with a deferred `BEGIN`. A deferred transaction that reads and
 * then writes can fail with SQLITE_BUSY when another process wrote in between, and the busy timeout cannot
 * help then. Every store transaction may write, so it takes the write lock up front with `BEGIN IMMEDIATE`
 * (and waits up to the busy timeout for it).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

/**
 * better-sqlite3 behind Kysely's `SqliteDatabase` shape, with a small statement cache: Kysely prepares every
 * query anew, and preparing a 500-row insert costs as much as running it.
 */
function cachingDatabase(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const hit = cache.get(sql);
      if (hit) return hit;
      const statement = db.prepare(sql) as unknown as SqliteStatement;
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * SQLite through better-sqlite3: one file (or `:memory:`), WAL journal, a busy timeout so several processes
 * can share the file, and foreign keys enforced.
 */
export const sqliteDialect: StoreDialect = Object.freeze({
  name: 'sqlite',
  createKysely(path: string): Kysely<Database> {
    const db = new BetterSqlite3(path);
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    // WAL makes NORMAL durable across application crashes; only a power loss can lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return new Kysely<Database>({ dialect: new ImmediateSqliteDialect(cachingDatabase(db)) });
  },
  async prepare(): Promise<undefined> {
    return undefined;
  },
  supportsAdvisoryLocks: false,
  supportsReturning: true,
  readOnlyQueries: 'query_only_pragma',
  fullTextSearch: 'fts5',
  jsonColumnType: 'text',
  jsonValuesParsed: false,
  jsonAccess: 'sqlite-json1',
  viewBooleans: 'integer',
  // SQLITE_MAX_VARIABLE_NUMBER is 32,766 since SQLite 3.32.
  maxQueryParameters: 32_766,
  maxIdentifierLength: 128,
} as const);
