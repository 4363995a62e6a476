import { createHash } from 'node:crypto';
import { QUERY_RESULT_CAP } from '../notion/limits.js';
import type { NotionVersion } from '../notion/limits.js';
import { isObject, type JsonObject } from './json.js';
import { shouldBe, validationError } from './notion-error.js';
import { decodeCursor, encodeCursor, pageSize } from './pagination.js';
import { type DataSourceSchema, validateFilter, validateSorts } from './query-engine.js';
import type { DataSourceRecord } from './records.js';
import type { RawJson } from './raw-json.js';
import { renderer } from './render.js';
import { ResultPages } from './result-pages.js';
import { ResultSnapshots } from './result-snapshots.js';
import { plainText } from './rich-text.js';
import type { Workspace } from './workspace.js';

/**
 * Runs `dataSources.query` (and 2022's `databases.query`) and `search`. A query's matching, sorted ids
 * come from `ResultSnapshots` (computed once, then patched row by row after writes), so paging through
 * 25,000 rows costs one sort and a write costs a patch, not a new sort; `ResultPages` serializes pages
 * of them from cached row JSON and reuses whole pages whose rows did not change. With `consistencyLagMs`
 * the index sees each row as it was `lag` ms ago (retrieve by id is always fresh) and nothing is cached.
 */
export class QueryRunner {
  readonly #snapshots: ResultSnapshots;
  readonly #pages: ResultPages;

  constructor(
    readonly ws: Workspace,
    readonly cap: number = QUERY_RESULT_CAP,
  ) {
    this.#snapshots = new ResultSnapshots(ws);
    this.#pages = new ResultPages(ws, cap);
  }

  /** Forgets cached snapshots and pages (after a reset or restore). */
  clear(): void {
    this.#snapshots.clear();
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
    const snap = this.#snapshots.get(ds, {
      fingerprint,
      filter: body.filter,
      sorts: body.sorts,
      includeTrash: trash === true,
    });
    return this.#pages.render({
      ds,
      ids: snap.ids,
      fingerprint,
      offset,
      size,
      version,
      filterProperties,
      uncached: !snap.reusable,
    });
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
