import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { RepositoryOptions } from './repository-options.js';
import type { Database } from './schema.js';

/** A lease as stored. */
export interface Lease {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
  /**
   * Fencing token: grows by one each time the lease changes hands. A holder can pass it along with its
   * writes so that a holder whose lease was stolen after expiry is recognised as stale.
   */
  fence: number;
}

/** The outcome of `acquire`: the lease, or who holds it. */
export type LeaseAcquisition =
  { acquired: true; lease: Lease } | { acquired: false; heldBy: Lease | undefined };

/**
 * The `leases` table: named mutual exclusion across processes with expiry (one run of a sync at a time).
 *
 * Each operation is one conditional statement, so it is atomic on both dialects: SQLite serialises writers
 * (and the store's transactions begin IMMEDIATE); PostgreSQL's `INSERT … ON CONFLICT DO UPDATE … WHERE`
 * locks the row and re-checks the condition against its latest version.
 */
export class LeasesRepository {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  /**
   * Takes the lease `name` for `holder` for `ttlMs` milliseconds. Succeeds when the lease is free, expired,
   * or already held by `holder` (which extends it). Never waits.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseAcquisition> {
    const nowMs = this.#options.clock.now();
    const now = new Date(nowMs).toISOString();
    const expiresAt = new Date(nowMs + ttlMs).toISOString();
    const extension = sql<boolean>`leases.holder = excluded.holder and leases.expires_at > ${now}`;
    const rows = await this.#db
      .insertInto('leases')
      .values({ name, holder, acquired_at: now, expires_at: expiresAt, fence: 1 })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({
            holder: (eb) => eb.ref('excluded.holder'),
            expires_at: (eb) => eb.ref('excluded.expires_at'),
            // Same holder, still valid: an extension. Otherwise the lease changes hands (or is taken anew).
            acquired_at: sql<string>`case when ${extension} then leases.acquired_at else excluded.acquired_at end`,
            fence: sql<number>`case when ${extension} then leases.fence else leases.fence + 1 end`,
          })
          .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<=', now)])),
      )
      .returningAll()
      .execute();
    const row = rows[0];
    if (row !== undefined) return { acquired: true, lease: toLease(row) };
    return { acquired: false, heldBy: await this.get(name) };
  }

  /**
   * Extends a lease `holder` still holds to now + `ttlMs`. Returns the lease, or `undefined` when it expired
   * or changed hands (the holder must stop its work).
   */
  async renew(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const nowMs = this.#options.clock.now();
    const rows = await this.#db
      .updateTable('leases')
      .set({ expires_at: new Date(nowMs + ttlMs).toISOString() })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .where('expires_at', '>', new Date(nowMs).toISOString())
      .returningAll()
      .execute();
    const row = rows[0];
    return row === undefined ? undefined : toLease(row);
  }

  /**
   * Gives the lease up: it expires now (the row stays, so the fencing token keeps growing). Returns false
   * when `holder` did not hold it (anymore).
   */
  async release(name: string, holder: string): Promise<boolean> {
    const now = new Date(this.#options.clock.now()).toISOString();
    const result = await this.#db
      .updateTable('leases')
      .set({ expires_at: now })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The lease row (possibly expired), or `undefined`. */
  async get(name: string): Promise<Lease | undefined> {
    const row = await this.#db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : toLease(row);
  }

  /** Leases not yet expired. */
  async listActive(): Promise<Lease[]> {
    const now = new Date(this.#options.clock.now()).toISOString();
    const rows = await this.#db.selectFrom('leases').selectAll().where('expires_at', '>', now).execute();
    return rows.map(toLease);
  }
}

function toLease(row: {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
  fence: number;
}): Lease {
  return {
    name: row.name,
    holder: row.holder,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
    fence: row.fence,
  };
}
