import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { StoreError } from '../../errors.js';
import type { Database } from '../schema.js';
import type { StoreDialect, StoreDialectOptions } from '../store-dialect.js';

/** Connections per store: the store's work is mostly one writer at a time. */
export const POSTGRES_POOL_SIZE = 4;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function checkSchema(schema: string | undefined): string | undefined {
  if (schema === undefined) return undefined;
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(`Invalid PostgreSQL schema name "${schema}".`, {
      hint: 'Use letters, digits and underscores only, starting with a letter or underscore.',
    });
  }
  return schema;
}

/**
 * PostgreSQL through a small `pg` pool. With `schema`, every connection gets `search_path=<schema>`, so all
 * tables, views and the migration bookkeeping live in that schema.
 */
export const postgresDialect: StoreDialect = Object.freeze({
  name: 'postgres',
  createKysely(url: string, options: StoreDialectOptions = {}): Kysely<Database> {
    const schema = checkSchema(options.schema);
    const pool = new pg.Pool({
      connectionString: url,
      max: POSTGRES_POOL_SIZE,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  },
  async prepare(db: Kysely<Database>, options: StoreDialectOptions = {}): Promise<string | undefined> {
    const schema = checkSchema(options.schema);
    if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    return result.rows[0]?.schema ?? undefined;
  },
  supportsAdvisoryLocks: true,
  supportsReturning: true,
  readOnlyQueries: 'read_only_transaction',
  fullTextSearch: 'tsvector',
  jsonColumnType: 'jsonb',
  jsonValuesParsed: true,
  jsonAccess: 'postgres-jsonb',
  viewBooleans: 'boolean',
  // The wire protocol counts parameters in an Int16.
  maxQueryParameters: 65_535,
  maxIdentifierLength: 63,
} as const);
