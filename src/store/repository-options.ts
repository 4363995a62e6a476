import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from './schema.js';
import type { StoreDialect } from './store-dialect.js';

/** What every repository needs besides its Kysely instance (or transaction). */
export interface RepositoryOptions {
  /** The dialect's capability flags. */
  readonly dialect: StoreDialect;
  /** Source of "now" for timestamps and lease expiry. */
  readonly clock: Clock;
}

/** The clock's now as an ISO-8601 UTC string (the store's timestamp format). */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/** Runs `fn` in a transaction: the current one when `db` already is a transaction, else a new one. */
export function inTransaction<T>(db: Kysely<Database>, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows per multi-row statement for a table of `columns` columns, under the dialect's parameter limit. */
export function rowsPerStatement(dialect: StoreDialect, columns: number, cap = 500): number {
  return Math.max(1, Math.min(cap, Math.floor(dialect.maxQueryParameters / columns)));
}
