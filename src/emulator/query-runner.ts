import type { PageObjectResponse } from '@notionhq/client';
import { createHash } from 'node:crypto';
import { QUERY_RESULT_CAP } from '../notion/limits.js';
import type { NotionVersion } from '../notion/limits.js';
import { isObject, type JsonObject } from './json.js';
import { shouldBe, validationError } from './notion-error.js';
import { decodeCursor, encodeCursor, pageSize } from './pagination.js';
import {
  sortPages,
  type DataSourceSchema,
  matchesFilter,
  validateFilter,
  validateSorts,
} from './query-engine.js';
import type { DataSourceRecord, PageRecord } from './records.js';
import { RawJson } from './raw-json.js';
import { renderer } from './render.js';
import { plainText } from './rich-text.js';
import type { Workspace } from './workspace.js';

interface Snapshot {
  readonly revision: number;
  readonly ids: readonly string[];
  /** Matching rows before the cap. */
  readonly total: number;
}

/** How many sorted result snapshots are kept for cursor reuse. */
const SNAPSHOT_CACHE_SIZE = 32;
/** How many serialized result pages are kept (≈ 100 KB each for 100-row pages). */
const PAGE_CACHE_SIZE = 128;

/**
 * Runs `dataSources.query` (and 2022's `databases.query`) and `search`. A query's matching, sorted ids
 * are computed once and kept as a snapshot keyed by data source, filter, sorts and trash flag; later
 * pages (cursors) reuse it while the data source's revision is unchanged, so paging through 25,000 rows
 * costs one sort, not one per page. With `consistencyLagMs` the index sees each row as it was
 * `lag` ms ago (retrieve by id is always fresh).
 */
export class QueryRunner {
  readonly #cache = new Map<string, Snapshot>();
  /** Serialized rows, valid while their data source's revision and the version match. */
  readonly #json = new WeakMap<JsonObject, { key: string; text: string }>();
  /** Whole result pages, keyed by query, offset, size, version, revision and filter_properties. */
  readonly #pages = new Map<string, RawJson>();

  constructor(
    readonly ws: Workspace,
    readonly cap: number = QUERY_RESULT_CAP,
  ) {}

  /** Forgets cached snapshots (after a reset or restore). */
  clear(): void {
    this.#cache.clear();
    this.#pages.clear();
  }

  query(
    ds: DataSourceRecord,
    body: JsonObject,
    filterProperties: readonly string[],
    version: NotionVersion,
  ): RawJson {
    const schema = ds.ds.properties as unknown as DataSourceSchema;
    const filterError = validateFilter(body.filter, schema);
    if (filterError) throw validationError(filterError);
    const sortError = validateSorts(body.sorts, schema);
    if (sortError) throw validationError(sortError);
    const size = pageSize(body.page_size, 'body.page_size');
    const trash = body.in_trash ?? body.archived;
    if (trash !== undefined && typeof trash !== 'boolean')
      throw shouldBe('body.in_trash', 'a boolean', trash);
    if (body.result_type !== undefined && body.result_type !== 'page' && body.result_type !== 'data_source') {
      throw shouldBe('body.result_type', '`"page"` or `"data_source"`', body.result_type);
    }
    const fingerprint = createHash('sha1')
      .update(JSON.stringify([ds.ds.id, body.filter ?? null, body.sorts ?? null, trash === true]))
      .digest('base64url')
      .slice(0, 16);
    const offset = decodeCursor(body.start_cursor, fingerprint, 'body.start_cursor');
    const snap = this.#snapshot(ds, fingerprint, body, trash === true);
    const lagged = this.ws.lagMs > 0;
    const pageKey = `${fingerprint}:${offset}:${size}:${version}:${ds.revision}:${filterProperties.join(',')}`;
    const cachedPage = lagged ? undefined : this.#pages.get(pageKey);
    if (cachedPage) return cachedPage;
    const render = renderer(this.ws, version);
    const ids = snap.ids.slice(offset, offset + size);
    const hasMore = offset + size < snap.ids.length;
    const cacheable = !lagged && filterProperties.length === 0 && !hasRollups(ds);
    const key = `${ds.revision}:${version}`;
    const results = ids.map((id) => {
      const rec = this.ws.pages.get(id) as PageRecord;
      const page = lagged ? (this.ws.indexedPage(rec, this.ws.now() - this.ws.lagMs) ?? rec.page) : rec.page;
      if (!cacheable) return JSON.stringify(render.page(page, filterProperties));
      const hit = this.#json.get(page);
      if (hit && hit.key === key) return hit.text;
      const text = JSON.stringify(render.page(page));
      this.#json.set(page, { key, text });
      return text;
    });
    const tail: JsonObject = {
      next_cursor: hasMore ? encodeCursor(offset + size, fingerprint) : null,
      has_more: hasMore,
      type: 'page_or_data_source',
      page_or_data_source: {},
    };
    if (snap.total > snap.ids.length) {
      tail.request_status = { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' };
    }
    const out = new RawJson(
      `{"object":"list","results":[${results.join(',')}],${JSON.stringify(tail).slice(1)}`,
    );
    if (!lagged && !hasRollups(ds)) {
      this.#pages.set(pageKey, out);
      if (this.#pages.size > PAGE_CACHE_SIZE) this.#pages.delete(this.#pages.keys().next().value as string);
    }
    return out;
  }

  #snapshot(ds: DataSourceRecord, fingerprint: string, body: JsonObject, includeTrash: boolean): Snapshot {
    // Rollups read other data sources, whose edits do not bump this revision: never reuse those.
    const reusable = this.ws.lagMs <= 0 && !hasRollups(ds);
    const cached = this.#cache.get(fingerprint);
    if (reusable && cached && cached.revision === ds.revision) return cached;
    const schema = ds.ds.properties as unknown as DataSourceSchema;
    const now = this.ws.now();
    const visibleAt = now - this.ws.lagMs;
    const matches: PageObjectResponse[] = [];
    for (const id of ds.rows) {
      const rec = this.ws.pages.get(id);
      if (!rec || rec.unshared) continue;
      const stored = this.ws.lagMs > 0 ? this.ws.indexedPage(rec, visibleAt) : rec.page;
      if (!stored) continue;
      if ((stored.parent as JsonObject).data_source_id !== ds.ds.id) continue;
      if (stored.in_trash && !includeTrash) continue;
      const page = this.ws.materialize(stored) as unknown as PageObjectResponse;
      if (
        body.filter !== undefined &&
        body.filter !== null &&
        !matchesFilter(body.filter, page, { schema, now })
      )
        continue;
      matches.push(page);
    }
    const sorted = sortPages(matches, body.sorts, schema);
    const ids = sorted.slice(0, this.cap).map((p) => p.id);
    const snap: Snapshot = { revision: ds.revision, ids, total: matches.length };
    if (reusable) {
      this.#cache.delete(fingerprint);
      this.#cache.set(fingerprint, snap);
      if (this.#cache.size > SNAPSHOT_CACHE_SIZE)
        this.#cache.delete(this.#cache.keys().next().value as string);
    }
    return snap;
  }

  /**
   * `search`: title match over pages and data sources (2022-06-28: databases, without multi-source ones),
   * trashed items only with `filter.in_trash`, most recently edited first by default.
   */
  search(body: JsonObject, version: NotionVersion): JsonObject {
    const query = body.query === undefined || body.query === null ? '' : body.query;
    if (typeof query !== 'string') throw shouldBe('body.query', 'a string', query);
    const size = pageSize(body.page_size, 'body.page_size');
    const legacy = version === '2022-06-28';
    const sourceKind = legacy ? 'database' : 'data_source';
    let objectFilter: string | undefined;
    let trashed = false;
    if (body.filter !== undefined && body.filter !== null) {
      const f = body.filter;
      if (!isObject(f)) throw shouldBe('body.filter', 'an object', f);
      if (f.property !== undefined || f.value !== undefined) {
        if (f.property !== 'object') throw shouldBe('body.filter.property', '`"object"`', f.property);
        if (f.value !== 'page' && f.value !== sourceKind)
          throw shouldBe('body.filter.value', `\`"page"\` or \`"${sourceKind}"\``, f.value);
        objectFilter = f.value as string;
      }
      if (f.in_trash !== undefined) {
        if (typeof f.in_trash !== 'boolean') throw shouldBe('body.filter.in_trash', 'a boolean', f.in_trash);
        trashed = f.in_trash;
      }
    }
    let direction = 'descending';
    if (body.sort !== undefined && body.sort !== null) {
      const s = body.sort;
      if (!isObject(s)) throw shouldBe('body.sort', 'an object', s);
      if (s.timestamp !== undefined && s.timestamp !== 'last_edited_time')
        throw shouldBe('body.sort.timestamp', '`"last_edited_time"`', s.timestamp);
      if (s.direction !== undefined && s.direction !== 'ascending' && s.direction !== 'descending')
        throw shouldBe('body.sort.direction', '`"ascending"` or `"descending"`', s.direction);
      direction = (s.direction as string | undefined) ?? 'descending';
    }
    const needle = query.toLowerCase();
    const render = renderer(this.ws, version);
    const hits: { edited: string; id: string; render: () => JsonObject }[] = [];
    if (objectFilter !== sourceKind) {
      for (const rec of this.ws.pages.values()) {
        const page = rec.page;
        if (rec.unshared || page.in_trash !== trashed) continue;
        if (needle && !this.ws.pageTitle(page).toLowerCase().includes(needle)) continue;
        hits.push({
          edited: page.last_edited_time as string,
          id: page.id as string,
          render: () => render.page(page),
        });
      }
    }
    if (objectFilter !== 'page') {
      if (legacy) {
        for (const db of this.ws.databases.values()) {
          if (db.db.in_trash !== trashed || db.dataSourceIds.length !== 1) continue;
          if (needle && !plainText(db.db.title).toLowerCase().includes(needle)) continue;
          hits.push({
            edited: db.db.last_edited_time as string,
            id: db.db.id as string,
            render: () => render.database(db),
          });
        }
      } else {
        for (const ds of this.ws.dataSources.values()) {
          if (ds.ds.in_trash !== trashed) continue;
          if (needle && !plainText(ds.ds.title).toLowerCase().includes(needle)) continue;
          hits.push({
            edited: ds.ds.last_edited_time as string,
            id: ds.ds.id as string,
            render: () => render.dataSource(ds),
          });
        }
      }
    }
    const sign = direction === 'ascending' ? 1 : -1;
    hits.sort((a, b) => (a.edited < b.edited ? -sign : a.edited > b.edited ? sign : a.id < b.id ? -1 : 1));
    const fingerprint = createHash('sha1')
      .update(JSON.stringify([query, objectFilter, trashed, direction, version]))
      .digest('base64url')
      .slice(0, 16);
    const offset = decodeCursor(body.start_cursor, fingerprint, 'body.start_cursor');
    const slice = hits.slice(offset, offset + size);
    const hasMore = offset + size < hits.length;
    const type = legacy ? 'page_or_database' : 'page_or_data_source';
    return {
      object: 'list',
      results: slice.map((h) => h.render()),
      next_cursor: hasMore ? encodeCursor(offset + size, fingerprint) : null,
      has_more: hasMore,
      type,
      [type]: {},
    };
  }
}

function hasRollups(ds: DataSourceRecord): boolean {
  for (const p of Object.values(ds.ds.properties as Record<string, JsonObject>))
    if (p.type === 'rollup') return true;
  return false;
}
