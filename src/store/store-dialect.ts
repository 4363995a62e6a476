import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Options a dialect needs to open a connection. */
export interface StoreDialectOptions {
  /**
   * PostgreSQL only: the schema to work in (set as `search_path`, created when missing). Lets tests isolate
   * in a fresh schema. Ignored by SQLite.
   * @default 'public'
   */
  readonly schema?: string;
}

/**
 * Everything that differs between SQLite and PostgreSQL, as one small object of capability flags plus a
 * factory. Repositories ask the flags; they never look at the URL.
 */
export interface StoreDialect {
  /** The dialect's name, for messages and `notion-sync status`. */
  readonly name: 'sqlite' | 'postgres';
  /**
   * Opens a Kysely instance on `url` (a file path or `:memory:` for SQLite, a `postgres://` URL for
   * PostgreSQL), with the connection settings the store relies on already applied.
   */
  createKysely(url: string, options?: StoreDialectOptions): Kysely<Database>;
  /**
   * Runs once per open, before migrations (PostgreSQL: creates the schema). Resolves to the schema the
   * store's tables live in (PostgreSQL's `current_schema()`), or `undefined` where schemas do not apply.
   */
  prepare(db: Kysely<Database>, options?: StoreDialectOptions): Promise<string | undefined>;
  /** PostgreSQL's `pg_advisory_lock` family is available. SQLite: false. */
  readonly supportsAdvisoryLocks: boolean;
  /** `INSERT/UPDATE … RETURNING` is available (SQLite ≥ 3.35, PostgreSQL). */
  readonly supportsReturning: boolean;
  /** How full-text search is implemented: an FTS5 external-content table, or a tsvector column + GIN index. */
  readonly fullTextSearch: 'fts5' | 'tsvector';
  /** The column type used for JSON columns. */
  readonly jsonColumnType: 'text' | 'jsonb';
  /** True when the driver returns JSON columns already parsed (pg parses `jsonb`; better-sqlite3 does not). */
  readonly jsonValuesParsed: boolean;
  /** The JSON operators SQL can use: SQLite's JSON1 (`->>` with `$."name"` paths) or PostgreSQL's `->>`. */
  readonly jsonAccess: 'sqlite-json1' | 'postgres-jsonb';
  /** What a boolean looks like in a typed view: 0/1 integers (SQLite) or real booleans (PostgreSQL). */
  readonly viewBooleans: 'integer' | 'boolean';
  /** How a user query is kept read-only: SQLite's `PRAGMA query_only`, or a `READ ONLY` transaction. */
  readonly readOnlyQueries: 'query_only_pragma' | 'read_only_transaction';
  /** Bound parameters allowed in one statement; batch inserts are chunked below it. */
  readonly maxQueryParameters: number;
  /** Longest identifier the database keeps (PostgreSQL truncates at 63 bytes). */
  readonly maxIdentifierLength: number;
}
