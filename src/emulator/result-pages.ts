import type { NotionVersion } from '../notion/limits.js';
import type { JsonObject } from './json.js';
import { encodeCursor } from './pagination.js';
import type { DataSourceRecord, PageRecord } from './records.js';
import { RawJson } from './raw-json.js';
import { renderer } from './render.js';
import type { Workspace } from './workspace.js';

/** One page of a query's results to serialize. */
export interface ResultPageRequest {
  readonly ds: DataSourceRecord;
  /** Every matching row id in result order (before the cap). */
  readonly ids: readonly string[];
  /** Digest of the query, for the cache key and the next cursor. */
  readonly fingerprint: string;
  readonly offset: number;
  readonly size: number;
  readonly version: NotionVersion;
  readonly filterProperties: readonly string[];
  /** Rows come from the lagging index or hold rollups: serialize afresh, cache nothing. */
  readonly uncached: boolean;
}

/** A serialized page and what it was made of. */
interface CachedPage {
  readonly ids: readonly string[];
  readonly hasMore: boolean;
  readonly incomplete: boolean;
  /** `Workspace.changes` stamp when serialized: current while none of its rows changed after it. */
  readonly at: number;
  /** The data source revision when serialized: while it is the same, no row changed at all. */
  readonly revision: number;
  readonly json: RawJson;
}

/** How many serialized result pages are kept (≈ 110 KB each for 100-row pages). */
const PAGES_KEPT = 128;

/**
 * Serializes pages of query results (`{object:"list", results, next_cursor, …}`) with two caches: each
 * row's JSON, per Notion-Version, until a change to the row or its data source is logged; and whole
 * pages, reused while they would hold the same rows, none of them changed, and `has_more` and the result
 * cap status are the same. A write therefore costs the re-serialization of the pages that show the
 * changed row (or that it moved into or out of), not of every page.
 */
export class ResultPages {
  readonly #rows = new WeakMap<JsonObject, { version: NotionVersion; at: number; text: string }>();
  readonly #pages = new Map<string, CachedPage>();

  constructor(
    readonly ws: Workspace,
    /** The result cap (`request_status: incomplete` beyond it). */
    readonly cap: number,
  ) {}

  /** Forgets every cached page (after a reset or restore; cached rows go with their page objects). */
  clear(): void {
    this.#pages.clear();
  }

  render(req: ResultPageRequest): RawJson {
    const { ds, offset, size, version } = req;
    const served = Math.min(req.ids.length, this.cap);
    const ids = req.ids.slice(offset, Math.min(offset + size, served));
    const hasMore = offset + size < served;
    const incomplete = req.ids.length > served;
    const key = `${req.fingerprint}:${offset}:${size}:${version}:${req.filterProperties.join(',')}`;
    if (!req.uncached) {
      const cached = this.#pages.get(key);
      if (cached && this.#current(cached, ds, ids, hasMore, incomplete)) return cached.json;
    }
    const at = this.ws.changes.now();
    const results = ids.map((id) => this.#row(req, id));
    const tail: JsonObject = {
      next_cursor: hasMore ? encodeCursor(offset + size, req.fingerprint) : null,
      has_more: hasMore,
      type: 'page_or_data_source',
      page_or_data_source: {},
    };
    if (incomplete)
      tail.request_status = { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' };
    const json = new RawJson(
      `{"object":"list","results":[${results.join(',')}],${JSON.stringify(tail).slice(1)}`,
    );
    if (!req.uncached) {
      this.#pages.delete(key);
      this.#pages.set(key, { ids, hasMore, incomplete, at, revision: ds.revision, json });
      if (this.#pages.size > PAGES_KEPT) this.#pages.delete(this.#pages.keys().next().value as string);
    }
    return json;
  }

  #current(
    page: CachedPage,
    ds: DataSourceRecord,
    ids: readonly string[],
    hasMore: boolean,
    incomplete: boolean,
  ): boolean {
    if (page.hasMore !== hasMore || page.incomplete !== incomplete || page.ids.length !== ids.length)
      return false;
    for (let i = 0; i < ids.length; i++) if (page.ids[i] !== ids[i]) return false;
    if (page.revision === ds.revision) return true;
    for (const id of ids) if (this.ws.changes.changedAt(ds, id) > page.at) return false;
    return true;
  }

  /** Row `id` as JSON (cached unless the request is uncached or picks `filter_properties`). */
  #row(req: ResultPageRequest, id: string): string {
    const rec = this.ws.pages.get(id) as PageRecord;
    const render = renderer(this.ws, req.version);
    if (req.uncached) {
      const page = this.ws.indexedPage(rec, this.ws.now() - this.ws.lagMs) ?? rec.page;
      return JSON.stringify(render.page(page, req.filterProperties));
    }
    if (req.filterProperties.length > 0) return JSON.stringify(render.page(rec.page, req.filterProperties));
    const hit = this.#rows.get(rec.page);
    if (hit && hit.version === req.version && hit.at >= this.ws.changes.changedAt(req.ds, id))
      return hit.text;
    const text = JSON.stringify(render.page(rec.page));
    this.#rows.set(rec.page, { version: req.version, at: this.ws.changes.now(), text });
    return text;
  }
}
