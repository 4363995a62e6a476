import type { Insertable, Kysely, Selectable } from 'kysely';
import type { RepositoryOptions } from './repository-options.js';
import { chunks, inTransaction, rowsPerStatement } from './repository-options.js';
import type { Database, KeyMapTable } from './schema.js';

/** One mapping: a source row's primary key in a target database → the Notion page written for it. */
export interface KeyMapEntry {
  /** The target database or data source id. */
  target: string;
  /** The source's primary key (as text). */
  key: string;
  pageId: string;
  /** Hash of the properties last written (skip writes whose hash did not change). */
  contentHash: string | null;
  /** Hash of the page body last written. */
  bodyHash: string | null;
  /** The source's own last-updated time of the row, when it has one. */
  upstreamUpdatedAt: string | null;
  /** The last cycle in which the source listed this key (replace-mode sweeps delete the rest). */
  lastCycleSeen: number | null;
  /** True once the page was deleted (archived) in Notion by a sweep or a delete change. */
  deleted: boolean;
  lastWrittenAt: string | null;
}

/** Default page size of `listNotSeenSince`. */
export const DEFAULT_KEY_MAP_PAGE_SIZE = 1_000;
const KEY_MAP_COLUMNS = 9;

/** The `key_map` table. Unique on (target, key), and on (target, page id). */
export class KeyMapRepository {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** The entry of (target, key), or `undefined`. */
  async get(target: string, key: string): Promise<KeyMapEntry | undefined> {
    const row = await this.#db
      .selectFrom('key_map')
      .selectAll()
      .where('target', '=', target)
      .where('key', '=', key)
      .executeTakeFirst();
    return row === undefined ? undefined : toEntry(row);
  }

  /** Entries of many keys of one target at once, by key (missing keys are absent). */
  async getMany(target: string, keys: readonly string[]): Promise<Map<string, KeyMapEntry>> {
    const out = new Map<string, KeyMapEntry>();
    for (const part of chunks(keys, rowsPerStatement(this.#options.dialect, 1, 5_000))) {
      const rows = await this.#db
        .selectFrom('key_map')
        .selectAll()
        .where('target', '=', target)
        .where('key', 'in', part)
        .execute();
      for (const row of rows) out.set(row.key, toEntry(row));
    }
    return out;
  }

  /** The entry whose page is `pageId` in `target`, or `undefined`. */
  async findByPageId(target: string, pageId: string): Promise<KeyMapEntry | undefined> {
    const row = await this.#db
      .selectFrom('key_map')
      .selectAll()
      .where('target', '=', target)
      .where('page_id', '=', pageId)
      .executeTakeFirst();
    return row === undefined ? undefined : toEntry(row);
  }

  /** Inserts a new entry. Rejects (unique violation) when (target, key) or (target, page id) is mapped. */
  async insert(entry: KeyMapEntry): Promise<void> {
    await this.#db.insertInto('key_map').values(toRow(entry)).execute();
  }

  /** Inserts or replaces entries, many rows per statement, in one transaction. */
  async upsertMany(entries: readonly KeyMapEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await inTransaction(this.#db, async (tx) => {
      for (const part of chunks(entries, rowsPerStatement(this.#options.dialect, KEY_MAP_COLUMNS))) {
        await tx
          .insertInto('key_map')
          .values(part.map(toRow))
          .onConflict((oc) =>
            oc.columns(['target', 'key']).doUpdateSet((eb) => ({
              page_id: eb.ref('excluded.page_id'),
              content_hash: eb.ref('excluded.content_hash'),
              body_hash: eb.ref('excluded.body_hash'),
              upstream_updated_at: eb.ref('excluded.upstream_updated_at'),
              last_cycle_seen: eb.ref('excluded.last_cycle_seen'),
              deleted: eb.ref('excluded.deleted'),
              last_written_at: eb.ref('excluded.last_written_at'),
            })),
          )
          .execute();
      }
    });
  }

  /** Inserts or replaces one entry. */
  async upsert(entry: KeyMapEntry): Promise<void> {
    await this.upsertMany([entry]);
  }

  /** Records that the source listed `keys` in `cycle` (unknown keys are ignored). */
  async markSeen(target: string, keys: readonly string[], cycle: number): Promise<void> {
    for (const part of chunks(keys, rowsPerStatement(this.#options.dialect, 1, 5_000))) {
      await this.#db
        .updateTable('key_map')
        .set({ last_cycle_seen: cycle })
        .where('target', '=', target)
        .where('key', 'in', part)
        .execute();
    }
  }

  /**
   * Live entries of `target` not seen in `cycle` (candidates of a replace-mode sweep), by key, keyset
   * paginated: pass the last key of one page as `afterKey` to get the next.
   */
  async listNotSeenSince(
    target: string,
    cycle: number,
    options: { afterKey?: string; limit?: number } = {},
  ): Promise<KeyMapEntry[]> {
    let query = this.#db
      .selectFrom('key_map')
      .selectAll()
      .where('target', '=', target)
      .where('deleted', '=', 0)
      .where((eb) => eb.or([eb('last_cycle_seen', 'is', null), eb('last_cycle_seen', '<', cycle)]));
    if (options.afterKey !== undefined) query = query.where('key', '>', options.afterKey);
    const rows = await query
      .orderBy('key')
      .limit(options.limit ?? DEFAULT_KEY_MAP_PAGE_SIZE)
      .execute();
    return rows.map(toEntry);
  }

  /** Flags entries as deleted (their pages were archived). */
  async markDeleted(target: string, keys: readonly string[]): Promise<void> {
    for (const part of chunks(keys, rowsPerStatement(this.#options.dialect, 1, 5_000))) {
      await this.#db
        .updateTable('key_map')
        .set({ deleted: 1 })
        .where('target', '=', target)
        .where('key', 'in', part)
        .execute();
    }
  }

  /** Number of entries of `target` (live only, unless `includeDeleted`). */
  async count(target: string, options: { includeDeleted?: boolean } = {}): Promise<number> {
    let query = this.#db
      .selectFrom('key_map')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('target', '=', target);
    if (!options.includeDeleted) query = query.where('deleted', '=', 0);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toRow(entry: KeyMapEntry): Insertable<KeyMapTable> {
  return {
    target: entry.target,
    key: entry.key,
    page_id: entry.pageId,
    content_hash: entry.contentHash,
    body_hash: entry.bodyHash,
    upstream_updated_at: entry.upstreamUpdatedAt,
    last_cycle_seen: entry.lastCycleSeen,
    deleted: entry.deleted ? 1 : 0,
    last_written_at: entry.lastWrittenAt,
  };
}

function toEntry(row: Selectable<KeyMapTable>): KeyMapEntry {
  return {
    target: row.target,
    key: row.key,
    pageId: row.page_id,
    contentHash: row.content_hash,
    bodyHash: row.body_hash,
    upstreamUpdatedAt: row.upstream_updated_at,
    lastCycleSeen: row.last_cycle_seen,
    deleted: row.deleted === 1,
    lastWrittenAt: row.last_written_at,
  };
}
