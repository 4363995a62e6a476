import type { Insertable, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { readJson, writeJson } from './json-column.js';
import type { RepositoryOptions } from './repository-options.js';
import { chunks, inTransaction, isoNow, rowsPerStatement } from './repository-options.js';
import type { Database, PagesTable, PageVersionsTable } from './schema.js';

/** A plain-value properties object: property name → plain value (see `ReplicaViewRepository`). */
export type PlainProperties = Readonly<Record<string, unknown>>;

/** A data source (its schema) as stored. */
export interface DataSourceRecord {
  id: string;
  /** The database that contains it, when known. */
  databaseId: string | null;
  title: string;
  /** Notion's `DataSourceObjectResponse['properties']`, as fetched. */
  schema: unknown;
  /** Property id → column name of its typed view (kept stable across renames). */
  columnMap: Record<string, string> | null;
  viewName: string | null;
  lastSyncedAt: string | null;
  /** The mirror's delta watermark (a `last_edited_time`), never past now − consistency buffer. */
  watermark: string | null;
  /** When the mirror last read its place and schema from Notion (ISO), or `null` if never recorded. */
  discoveredAt: string | null;
}

/** A page body, converted by the markdown module. */
export interface PageBody {
  markdown: string;
  /** Blocks as JSON (raw blocks the markdown cannot express are kept here). */
  json: unknown;
  hash: string;
}

/** One page as the mirror hands it to the replica. */
export interface PageInput {
  id: string;
  dataSourceId: string;
  properties: PlainProperties;
  /** Plain text of the title property. */
  title: string;
  createdTime: string;
  lastEditedTime: string;
  /** Trashed pages stay in the replica (left out of typed views); `markDeleted(ids, 'in_trash')` records it. */
  inTrash: boolean;
  /** Hash of `properties` (computed by the caller's codecs): equal hash → unchanged. */
  contentHash: string;
  /** Omit to keep the stored body (bodies are fetched separately, and only when they changed). */
  body?: PageBody;
}

/** A page as stored. */
export interface PageRecord {
  id: string;
  dataSourceId: string;
  properties: Record<string, unknown>;
  title: string;
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
  contentHash: string;
  bodyMarkdown: string | null;
  bodyJson: unknown;
  bodyHash: string | null;
  /** The number of its latest version. */
  version: number;
  deletedAt: string | null;
  deletedReason: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** What kind of change a version records. */
export type PageChangeKind = 'created' | 'updated' | 'deleted' | 'restored';

/** One row of a page's history. */
export interface PageVersion {
  pageId: string;
  version: number;
  observedAt: string;
  changeKind: PageChangeKind;
  properties: Record<string, unknown>;
  bodyHash: string | null;
  /** Names of the properties that changed from the previous version (all of them for `created`). */
  changedProperties: string[];
  runId: string | null;
}

/** What `upsertPages` did to one page. */
export interface PageUpsertResult {
  pageId: string;
  change: Exclude<PageChangeKind, 'deleted'> | 'unchanged';
  /** The page's version after the upsert (a new one unless `unchanged`). */
  version: number;
  changedProperties: string[];
}

/** Options of the writing methods. */
export interface ReplicaWriteOptions {
  /** The run that observed the change, recorded in the version. */
  runId?: string;
}

/** One hit of `search`. */
export interface SearchHit {
  pageId: string;
  title: string;
  dataSourceId: string;
  /** A short excerpt with the matches wrapped in `[` `]`. */
  snippet: string;
}

/** Default page size of `listPageIds`. */
export const DEFAULT_PAGE_ID_PAGE_SIZE = 1_000;
/** Default number of hits of `search`. */
export const DEFAULT_SEARCH_LIMIT = 20;
const PAGE_COLUMNS = 16;
const VERSION_COLUMNS = 8;
/** Ids per `IN (…)` list when reading existing pages. */
const IDS_PER_LOOKUP = 1_000;

interface ExistingPage {
  id: string;
  properties: unknown;
  last_edited_time: string;
  in_trash: number;
  data_source_id: string;
  content_hash: string;
  body_hash: string | null;
  version: number;
  deleted_at: string | null;
}

/**
 * The replica: `data_sources`, `pages` and the append-only `page_versions`. Each write appends its version
 * rows in the same transaction as the page rows. There is deliberately no method that updates or deletes
 * a version; the database rejects it too.
 */
export class ReplicaRepository {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  // ----- data sources -----------------------------------------------------------------------------------

  /**
   * Creates or updates a data source's title and schema (keeps its view, column map and watermark).
   * `discoveredAt` records when this was read from Notion; omitted, the stored time is kept.
   */
  async upsertDataSource(input: {
    id: string;
    databaseId?: string | null;
    title: string;
    schema: unknown;
    discoveredAt?: string;
  }): Promise<void> {
    const row = {
      id: input.id,
      database_id: input.databaseId ?? null,
      title: input.title,
      schema: writeJson(input.schema),
      ...(input.discoveredAt === undefined ? {} : { discovered_at: input.discoveredAt }),
    };
    const { id: _id, ...update } = row;
    await this.#db
      .insertInto('data_sources')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(update))
      .execute();
  }

  /** One data source, or `undefined`. */
  async getDataSource(id: string): Promise<DataSourceRecord | undefined> {
    const row = await this.#db.selectFrom('data_sources').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : this.#toDataSource(row);
  }

  /** Every data source (or those of one database), by title. */
  async listDataSources(options: { databaseId?: string } = {}): Promise<DataSourceRecord[]> {
    let query = this.#db.selectFrom('data_sources').selectAll();
    if (options.databaseId !== undefined) query = query.where('database_id', '=', options.databaseId);
    const rows = await query.orderBy('title').orderBy('id').execute();
    return rows.map((r) => this.#toDataSource(r));
  }

  /** Saves the mirror's progress on a data source. */
  async setSyncProgress(
    id: string,
    progress: { watermark?: string | null; lastSyncedAt?: string },
  ): Promise<void> {
    await this.#db
      .updateTable('data_sources')
      .set({
        ...(progress.watermark === undefined ? {} : { watermark: progress.watermark }),
        last_synced_at: progress.lastSyncedAt ?? isoNow(this.#options.clock),
      })
      .where('id', '=', id)
      .execute();
  }

  // ----- pages ------------------------------------------------------------------------------------------

  /** Upserts one page; see `upsertPages`. */
  async upsertPage(page: PageInput, options: ReplicaWriteOptions = {}): Promise<PageUpsertResult> {
    const [result] = await this.upsertPages([page], options);
    return result as PageUpsertResult;
  }

  /**
   * Upserts a batch of pages in one transaction and appends a version for each page that is new, whose
   * content hash or body hash changed, or that comes back after a delete (`restored`). Pages whose hashes
   * did not change get no version; their times and `last_seen_at` are refreshed. When the same id occurs
   * twice in `pages`, the last one wins. Returns one result per distinct page id, in input order.
   *
   * Efficient for large batches: existing rows are read with one `IN` list per 1,000 ids, and pages and
   * versions are written with multi-row statements.
   */
  async upsertPages(
    pages: readonly PageInput[],
    options: ReplicaWriteOptions = {},
  ): Promise<PageUpsertResult[]> {
    const unique = new Map<string, PageInput>();
    for (const page of pages) {
      unique.delete(page.id);
      unique.set(page.id, page);
    }
    const batch = [...unique.values()];
    if (batch.length === 0) return [];
    return inTransaction(this.#db, async (tx) => {
      const now = isoNow(this.#options.clock);
      const existing = await this.#readExisting(
        tx,
        batch.map((p) => p.id),
      );
      const results: PageUpsertResult[] = [];
      const pageRows: Insertable<PagesTable>[] = [];
      const versionRows: Insertable<PageVersionsTable>[] = [];
      const merelySeen: string[] = [];
      for (const page of batch) {
        const old = existing.get(page.id);
        const result = diffPage(page, old, this.#options);
        results.push(result);
        if (result.change === 'unchanged' && old !== undefined && sameMetadata(page, old)) {
          // Rewriting an unchanged row would cost JSON parsing and index (FTS/tsvector) work for nothing.
          merelySeen.push(page.id);
          continue;
        }
        const propertiesJson = writeJson(page.properties);
        pageRows.push({
          id: page.id,
          data_source_id: page.dataSourceId,
          properties: propertiesJson,
          title: page.title,
          created_time: page.createdTime,
          last_edited_time: page.lastEditedTime,
          in_trash: page.inTrash ? 1 : 0,
          content_hash: page.contentHash,
          body_markdown: page.body?.markdown ?? null,
          body_json: page.body === undefined ? null : writeJson(page.body.json),
          body_hash: page.body?.hash ?? null,
          version: result.version,
          deleted_at: null,
          deleted_reason: null,
          first_seen_at: now,
          last_seen_at: now,
        });
        if (result.change !== 'unchanged') {
          versionRows.push({
            page_id: page.id,
            version: result.version,
            observed_at: now,
            change_kind: result.change,
            properties: propertiesJson,
            body_hash: page.body?.hash ?? old?.body_hash ?? null,
            changed_properties: writeJson(result.changedProperties),
            run_id: options.runId ?? null,
          });
        }
      }
      for (const part of chunks(pageRows, rowsPerStatement(this.#options.dialect, PAGE_COLUMNS))) {
        await tx
          .insertInto('pages')
          .values(part)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              data_source_id: eb.ref('excluded.data_source_id'),
              properties: eb.ref('excluded.properties'),
              title: eb.ref('excluded.title'),
              created_time: eb.ref('excluded.created_time'),
              last_edited_time: eb.ref('excluded.last_edited_time'),
              in_trash: eb.ref('excluded.in_trash'),
              content_hash: eb.ref('excluded.content_hash'),
              // A page without a body in this batch keeps the stored body.
              body_markdown: sql`case when excluded.body_hash is null then pages.body_markdown else excluded.body_markdown end`,
              body_json: sql`case when excluded.body_hash is null then pages.body_json else excluded.body_json end`,
              body_hash: sql`coalesce(excluded.body_hash, pages.body_hash)`,
              version: eb.ref('excluded.version'),
              deleted_at: eb.ref('excluded.deleted_at'),
              deleted_reason: eb.ref('excluded.deleted_reason'),
              last_seen_at: eb.ref('excluded.last_seen_at'),
            })),
          )
          .execute();
      }
      await this.#appendVersions(tx, versionRows);
      for (const part of chunks(merelySeen, IDS_PER_LOOKUP)) {
        await tx.updateTable('pages').set({ last_seen_at: now }).where('id', 'in', part).execute();
      }
      return results;
    });
  }

  /**
   * Marks pages deleted (`reason`: e.g. `in_trash`, `missing_upstream`, `not_found`) and appends a
   * `deleted` version for each. Pages already deleted or unknown are skipped. Returns how many were marked.
   */
  async markDeleted(
    pageIds: readonly string[],
    reason: string,
    options: ReplicaWriteOptions = {},
  ): Promise<number> {
    return this.#transition(pageIds, 'deleted', options, reason);
  }

  /** Brings deleted pages back (a `restored` version each). Returns how many were restored. */
  async restore(pageIds: readonly string[], options: ReplicaWriteOptions = {}): Promise<number> {
    return this.#transition(pageIds, 'restored', options, null);
  }

  /** One page (deleted or not), or `undefined`. */
  async getPage(id: string): Promise<PageRecord | undefined> {
    const row = await this.#db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : this.#toPage(row);
  }

  /** A page's history, oldest first. */
  async listVersions(pageId: string): Promise<PageVersion[]> {
    const rows = await this.#db
      .selectFrom('page_versions')
      .selectAll()
      .where('page_id', '=', pageId)
      .orderBy('version')
      .execute();
    return rows.map((r) => this.#toVersion(r));
  }

  /**
   * Page ids of a data source in id order, one keyset page at a time: pass the last id of a page as
   * `afterId` for the next. Deleted pages are left out unless `includeDeleted`.
   */
  async listPageIds(
    dataSourceId: string,
    options: { afterId?: string; limit?: number; includeDeleted?: boolean } = {},
  ): Promise<string[]> {
    let query = this.#db.selectFrom('pages').select('id').where('data_source_id', '=', dataSourceId);
    if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
    if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
    const rows = await query
      .orderBy('id')
      .limit(options.limit ?? DEFAULT_PAGE_ID_PAGE_SIZE)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Streams every page id of a data source in keyset pages of `pageSize` (for delete detection over 100k+
   * pages without holding them all, or a cursor, open).
   */
  async *iteratePageIds(
    dataSourceId: string,
    options: { pageSize?: number; includeDeleted?: boolean } = {},
  ): AsyncGenerator<string[], void, undefined> {
    const limit = options.pageSize ?? DEFAULT_PAGE_ID_PAGE_SIZE;
    let afterId: string | undefined;
    for (;;) {
      const ids = await this.listPageIds(dataSourceId, {
        limit,
        ...(afterId === undefined ? {} : { afterId }),
        ...(options.includeDeleted === undefined ? {} : { includeDeleted: options.includeDeleted }),
      });
      if (ids.length > 0) yield ids;
      if (ids.length < limit) return;
      afterId = ids[ids.length - 1];
    }
  }

  /**
   * Ids of the pages of a data source created at `createdTime` and seen at or after `seenSince` (a
   * `last_seen_at`): the rows a scan that began at that mark has read with that created_time.
   */
  async pageIdsSeenSince(dataSourceId: string, createdTime: string, seenSince: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('pages')
      .select('id')
      .where('data_source_id', '=', dataSourceId)
      .where('created_time', '=', createdTime)
      .where('last_seen_at', '>=', seenSince)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Number of live (or all) pages of a data source. */
  async countPages(dataSourceId: string, options: { includeDeleted?: boolean } = {}): Promise<number> {
    let query = this.#db
      .selectFrom('pages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('data_source_id', '=', dataSourceId);
    if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Full-text search over titles and bodies of live pages (all words must match; no stemming), best first.
   */
  async search(text: string, options: { limit?: number; dataSourceId?: string } = {}): Promise<SearchHit[]> {
    const words = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
    if (words.length === 0) return [];
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    const dataSourceFilter =
      options.dataSourceId === undefined ? sql`` : sql`and p.data_source_id = ${options.dataSourceId}`;
    if (this.#options.dialect.fullTextSearch === 'fts5') {
      // Each word quoted: user text never reaches FTS5's query syntax.
      const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' ');
      const result = await sql<SearchRow>`
        select p.id as page_id, p.title, p.data_source_id,
          snippet(pages_fts, -1, '[', ']', '…', 16) as snippet
        from pages_fts join pages p on p.rid = pages_fts.rowid
        where pages_fts match ${match} and p.deleted_at is null ${dataSourceFilter}
        order by bm25(pages_fts, 10.0, 1.0) limit ${limit}`.execute(this.#db);
      return result.rows.map(toHit);
    }
    const query = words.join(' ');
    // Rank and limit first, then build snippets (ts_headline re-parses the text) for the hits only, from
    // the body when it matches, else from the title.
    const result = await sql<SearchRow>`
      select hit.page_id, hit.title, hit.data_source_id,
        ts_headline('simple',
          case when to_tsvector('simple', coalesce(hit.body, '')) @@ hit.q then hit.body else hit.title end,
          hit.q, 'StartSel=[, StopSel=], MaxWords=24, MinWords=8, ShortWord=1') as snippet
      from (
        select p.id as page_id, p.title, p.data_source_id, p.body_markdown as body, q,
          ts_rank(p.search, q) as rank
        from pages p, plainto_tsquery('simple', ${query}) q
        where p.search @@ q and p.deleted_at is null ${dataSourceFilter}
        order by rank desc, p.id limit ${limit}
      ) hit
      order by hit.rank desc, hit.page_id`.execute(this.#db);
    return result.rows.map(toHit);
  }

  // ----- private ----------------------------------------------------------------------------------------

  async #readExisting(tx: Kysely<Database>, ids: readonly string[]): Promise<Map<string, ExistingPage>> {
    const out = new Map<string, ExistingPage>();
    for (const part of chunks(ids, IDS_PER_LOOKUP)) {
      const rows = await tx
        .selectFrom('pages')
        .select([
          'id',
          'properties',
          'last_edited_time',
          'in_trash',
          'data_source_id',
          'content_hash',
          'body_hash',
          'version',
          'deleted_at',
        ])
        .where('id', 'in', part)
        .execute();
      for (const row of rows) out.set(row.id, row);
    }
    return out;
  }

  async #appendVersions(tx: Kysely<Database>, rows: readonly Insertable<PageVersionsTable>[]): Promise<void> {
    for (const part of chunks(rows, rowsPerStatement(this.#options.dialect, VERSION_COLUMNS))) {
      await tx.insertInto('page_versions').values(part).execute();
    }
  }

  async #transition(
    pageIds: readonly string[],
    kind: 'deleted' | 'restored',
    options: ReplicaWriteOptions,
    reason: string | null,
  ): Promise<number> {
    if (pageIds.length === 0) return 0;
    return inTransaction(this.#db, async (tx) => {
      const now = isoNow(this.#options.clock);
      let changed = 0;
      for (const part of chunks([...new Set(pageIds)], IDS_PER_LOOKUP)) {
        let query = tx
          .selectFrom('pages')
          .select(['id', 'properties', 'body_hash', 'version'])
          .where('id', 'in', part);
        query =
          kind === 'deleted'
            ? query.where('deleted_at', 'is', null)
            : query.where('deleted_at', 'is not', null);
        const rows = await query.execute();
        if (rows.length === 0) continue;
        const ids = rows.map((r) => r.id);
        await tx
          .updateTable('pages')
          .set({
            deleted_at: kind === 'deleted' ? now : null,
            deleted_reason: reason,
            version: sql<number>`version + 1`,
          })
          .where('id', 'in', ids)
          .execute();
        await this.#appendVersions(
          tx,
          rows.map((r) => ({
            page_id: r.id,
            version: r.version + 1,
            observed_at: now,
            change_kind: kind,
            properties: writeJson(readJson(this.#options.dialect, r.properties)),
            body_hash: r.body_hash,
            changed_properties: writeJson([]),
            run_id: options.runId ?? null,
          })),
        );
        changed += rows.length;
      }
      return changed;
    });
  }

  #toDataSource(row: Selectable<Database['data_sources']>): DataSourceRecord {
    return {
      id: row.id,
      databaseId: row.database_id,
      title: row.title,
      schema: readJson(this.#options.dialect, row.schema),
      columnMap: readJson(this.#options.dialect, row.column_map) as Record<string, string> | null,
      viewName: row.view_name,
      lastSyncedAt: row.last_synced_at,
      watermark: row.watermark,
      discoveredAt: row.discovered_at,
    };
  }

  #toPage(row: Selectable<PagesTable>): PageRecord {
    const dialect = this.#options.dialect;
    return {
      id: row.id,
      dataSourceId: row.data_source_id,
      properties: readJson(dialect, row.properties) as Record<string, unknown>,
      title: row.title,
      createdTime: row.created_time,
      lastEditedTime: row.last_edited_time,
      inTrash: row.in_trash === 1,
      contentHash: row.content_hash,
      bodyMarkdown: row.body_markdown,
      bodyJson: readJson(dialect, row.body_json),
      bodyHash: row.body_hash,
      version: row.version,
      deletedAt: row.deleted_at,
      deletedReason: row.deleted_reason,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  #toVersion(row: Selectable<PageVersionsTable>): PageVersion {
    const dialect = this.#options.dialect;
    return {
      pageId: row.page_id,
      version: row.version,
      observedAt: row.observed_at,
      changeKind: row.change_kind as PageChangeKind,
      properties: readJson(dialect, row.properties) as Record<string, unknown>,
      bodyHash: row.body_hash,
      changedProperties: readJson(dialect, row.changed_properties) as string[],
      runId: row.run_id,
    };
  }
}

interface SearchRow {
  page_id: string;
  title: string;
  data_source_id: string;
  snippet: string | null;
}

function toHit(row: SearchRow): SearchHit {
  return {
    pageId: row.page_id,
    title: row.title,
    dataSourceId: row.data_source_id,
    snippet: row.snippet ?? '',
  };
}

/** Decides what an upsert does to one page, given the stored row (if any). */
function diffPage(
  page: PageInput,
  old: ExistingPage | undefined,
  options: RepositoryOptions,
): PageUpsertResult {
  if (old === undefined) {
    return {
      pageId: page.id,
      change: 'created',
      version: 1,
      changedProperties: Object.keys(page.properties).sort(),
    };
  }
  const contentChanged = old.content_hash !== page.contentHash;
  const bodyChanged = page.body !== undefined && page.body.hash !== old.body_hash;
  const wasDeleted = old.deleted_at !== null;
  if (!contentChanged && !bodyChanged && !wasDeleted) {
    return { pageId: page.id, change: 'unchanged', version: old.version, changedProperties: [] };
  }
  const changedProperties = contentChanged
    ? changedPropertyNames(
        readJson(options.dialect, old.properties) as Record<string, unknown>,
        page.properties,
      )
    : [];
  return {
    pageId: page.id,
    change: wasDeleted ? 'restored' : 'updated',
    version: old.version + 1,
    changedProperties,
  };
}

/** True when the fields outside the content hash are as stored. */
function sameMetadata(page: PageInput, old: ExistingPage): boolean {
  return (
    page.lastEditedTime === old.last_edited_time &&
    (page.inTrash ? 1 : 0) === old.in_trash &&
    page.dataSourceId === old.data_source_id
  );
}

/** Names of properties added, removed or whose plain value differs. */
export function changedPropertyNames(before: PlainProperties, after: PlainProperties): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => stableJson(before[n]) !== stableJson(after[n])).sort();
}

function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          )
        : v,
    ) ?? 'undefined'
  );
}
