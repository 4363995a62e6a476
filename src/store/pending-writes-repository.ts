import type { Kysely } from 'kysely';
import { StoreError } from '../errors.js';
import { readJson, writeJson } from './json-column.js';
import type { RepositoryOptions } from './repository-options.js';
import { isoNow } from './repository-options.js';
import type { Database } from './schema.js';

/** The write-ahead record of a create (DESIGN invariant 3). */
export interface PendingWrite {
  target: string;
  key: string;
  /** What was about to be created (JSON-safe): enough to find it in the target or to repeat it. */
  intent: unknown;
  createdAt: string;
}

/**
 * The `pending_writes` table. Record the intent before a create and resolve it once the outcome is known.
 * A record that survives (timeout, lost response, crash) means: look the key up in the target before
 * creating again. There is at most one pending create per (target, key).
 */
export class PendingWritesRepository {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  /**
   * Records the intent to create the page of (target, key). Throws a `StoreError` when a create of that
   * key is already pending: its outcome must be reconciled first, or the page could be created twice.
   */
  async record(target: string, key: string, intent: unknown): Promise<PendingWrite> {
    const createdAt = isoNow(this.#options.clock);
    const inserted = await this.#db
      .insertInto('pending_writes')
      .values({ target, key, intent: writeJson(intent), created_at: createdAt })
      .onConflict((oc) => oc.columns(['target', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      throw new StoreError(`A create of key "${key}" in target ${target} is already pending.`, {
        hint: 'Reconcile it first: look the key up in the target, then resolve the pending write.',
      });
    }
    return { target, key, intent, createdAt };
  }

  /** The pending create of (target, key), or `undefined`. */
  async get(target: string, key: string): Promise<PendingWrite | undefined> {
    const row = await this.#db
      .selectFrom('pending_writes')
      .selectAll()
      .where('target', '=', target)
      .where('key', '=', key)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#toRecord(row);
  }

  /** Every pending create (of one target), oldest first: the work of a recovery pass. */
  async list(target?: string): Promise<PendingWrite[]> {
    let query = this.#db.selectFrom('pending_writes').selectAll();
    if (target !== undefined) query = query.where('target', '=', target);
    const rows = await query.orderBy('created_at').orderBy('key').execute();
    return rows.map((r) => this.#toRecord(r));
  }

  /** Removes the record once the create's outcome is known. Returns whether one existed. */
  async resolve(target: string, key: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('pending_writes')
      .where('target', '=', target)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  #toRecord(row: { target: string; key: string; intent: unknown; created_at: string }): PendingWrite {
    return {
      target: row.target,
      key: row.key,
      intent: readJson(this.#options.dialect, row.intent),
      createdAt: row.created_at,
    };
  }
}
