/**
 * The schema of one data source during a run: what the replica stores, when it is read from Notion, and
 * how the query results check it.
 *
 * The rule (docs/mirror.md, "Discovery and schema"): a delta reuses the stored schema and checks every page
 * of query results against it (every row carries every property's id, name and type). A row that disagrees
 * (a property added, removed, renamed or retyped) makes the run read the schema again
 * (`dataSources.retrieve`) and apply it before that page is stored: renames, removals and type changes
 * schedule a full re-read of the rows, and the pass restarts with it. The schema is read at most once per
 * run: after that, disagreeing rows (a query index that lags the schema) are stored as they come. A data
 * source seen for the first time through its database takes its schema from its first rows (or reads it
 * when it has none).
 * @module
 */
import type { ViewPropertySchema } from '../store/view-columns.js';
import { diffSchema, rowsNeedRescan, schemaChanged } from './diff-schema.js';
import type { MirrorContext } from './mirror-context.js';
import { retrieveDataSource } from './resolve-source.js';
import type { ResolvedDataSource } from './resolve-source.js';
import { rowsMatchSchema, schemaOfRow } from './row-schema.js';
import { scheduleRescan } from './scan-state.js';

/** A row as the check reads it. */
type Row = { readonly properties: Readonly<Record<string, { readonly id: string; readonly type: string }>> };

/** Tracks one data source's schema within one run. */
export class SchemaTracker {
  readonly #ctx: MirrorContext;
  readonly #source: ResolvedDataSource;
  /** The schema the replica has now; `undefined` while not known (a data source seen for the first time). */
  #schema: unknown;
  /** Read from Notion in this run: not read again. */
  #read = false;
  #view: string | null = null;

  constructor(ctx: MirrorContext, source: ResolvedDataSource) {
    this.#ctx = ctx;
    this.#source = source;
  }

  /** The typed view's name, once the schema is known. */
  get view(): string | null {
    return this.#view;
  }

  /** Applies what discovery found: a schema read from Notion, the stored one, or none yet. */
  async prepare(): Promise<void> {
    const source = this.#source;
    if (source.schema !== undefined && !source.cached) {
      this.#read = true;
      await this.#apply(source.schema);
      return;
    }
    const stored = await this.#ctx.store.replica.getDataSource(source.id);
    if (stored === undefined) return; // its first rows show it
    this.#schema = stored.schema;
    this.#view =
      stored.viewName ??
      (
        await this.#ctx.store.replicaViews.createOrReplaceView(source.id, {
          properties: stored.schema as ViewPropertySchema,
        })
      ).viewName;
  }

  /**
   * Checks a page of query results before it is stored. `'restart'`: the schema changed so that the
   * stored rows are stale; a full re-read is scheduled and the pass must stop (nothing of `rows` stored).
   */
  async check(rows: readonly Row[]): Promise<'ok' | 'restart'> {
    const first = rows[0];
    if (first === undefined) return 'ok';
    if (this.#schema === undefined) {
      await this.#apply(schemaOfRow(first));
      return 'ok';
    }
    if (this.#read || rowsMatchSchema(rows, this.#schema)) return 'ok';
    await this.#ctx.event('info', 'query results differ from the stored schema; reading it again', {
      dataSourceId: this.#source.id,
    });
    const { rescan } = await this.#readAndApply();
    return rescan ? 'restart' : 'ok';
  }

  /** After a complete scan: a data source without rows has its schema read (it has a view then). */
  async ensureKnown(): Promise<void> {
    if (this.#schema === undefined) await this.#readAndApply();
  }

  async #readAndApply(): Promise<{ rescan: boolean }> {
    this.#read = true;
    const live = await retrieveDataSource(this.#ctx.gateway, this.#source.id, this.#source.title);
    return this.#apply(live.schema as ViewPropertySchema);
  }

  /**
   * Stores `schema` as read from Notion now, rebuilds the view when it changed, and schedules a full re-read
   * of the rows when their stored values went stale.
   */
  async #apply(schema: ViewPropertySchema): Promise<{ rescan: boolean }> {
    const ctx = this.#ctx;
    const source = this.#source;
    const stored = await ctx.store.replica.getDataSource(source.id);
    const diff = diffSchema(stored?.schema, schema);
    const rescan = stored !== undefined && rowsNeedRescan(diff);
    await ctx.store.transaction(async (tx) => {
      await tx.replica.upsertDataSource({
        id: source.id,
        databaseId: source.databaseId,
        title: source.title,
        schema,
        discoveredAt: new Date(ctx.clock.now()).toISOString(),
      });
      // The new schema and the re-read it requires are recorded together: an interrupted run cannot leave
      // the new schema stored with stale rows that no later run re-reads.
      if (rescan) await scheduleRescan(tx, source.id, ctx.runStartMs);
    });
    this.#schema = schema;
    let view = stored?.viewName ?? null;
    if (stored === undefined || view === null || schemaChanged(diff)) {
      view = (await ctx.store.replicaViews.createOrReplaceView(source.id, { properties: schema })).viewName;
    }
    this.#view = view;
    if (stored !== undefined && schemaChanged(diff)) {
      await ctx.event('info', 'schema changed', { dataSourceId: source.id, view, ...diff, rescan });
    }
    return { rescan };
  }
}
