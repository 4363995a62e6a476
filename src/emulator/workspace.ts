import type { Clock } from '../clock.js';
import { NOTICON_COLORS } from '../notion/colors.js';
import { type BlockDraft, blockPayload } from './block-drafts.js';
import { ChangeLog } from './change-log.js';
import { computeRollup, evaluateFormula } from './computed-values.js';
import { minuteIso, newId, normalizeId, notionUrl } from './ids.js';
import { clone, isObject, type JsonObject } from './json.js';
import {
  ARCHIVED_EDIT_MESSAGE,
  NotionApiError,
  notFound,
  shouldBe,
  shouldBeDefined,
  validationError,
} from './notion-error.js';
import { defaultValue, type ValueContext, writeValue } from './property-values.js';
import type {
  BlockRecord,
  DataSourceRecord,
  DatabaseRecord,
  PageRecord,
  WorkspaceSnapshot,
} from './records.js';
import { plainText, richTextResponse, textRun } from './rich-text.js';
import { configTypeOf, findProperty, propertyConfig, relationIds, type SchemaResolver } from './schema.js';

/** Where appended blocks go among their siblings. */
export type InsertPosition = { type: 'start' } | { type: 'end' } | { type: 'after_block'; blockId: string };

/** A person user to add to the workspace. */
export interface NewUser {
  name: string;
  email: string;
  /** Defaults to a new id. */
  id?: string;
}

/**
 * The emulator's state and the rules of Notion's object model: pages, rows, blocks, databases, data
 * sources and users. Handlers parse HTTP and call these methods; rendering per Notion-Version lives in
 * `render.ts`. All timestamps come from the injected clock and are stored rounded down to the minute.
 */
export class Workspace {
  readonly users = new Map<string, JsonObject>();
  readonly pages = new Map<string, PageRecord>();
  readonly blocks = new Map<string, BlockRecord>();
  readonly databases = new Map<string, DatabaseRecord>();
  readonly dataSources = new Map<string, DataSourceRecord>();
  /** Parent (page or block) id → ordered child ids (blocks, child pages, child databases). */
  readonly children = new Map<string, string[]>();
  /** What changed in each data source at which revision (cached query results patch from it). */
  readonly changes = new ChangeLog();
  botId: string;
  rootPageId: string | undefined;
  /** Called after every mutation (persistence schedules a save). */
  onChange: () => void = () => {};

  constructor(
    readonly clock: Clock,
    readonly lagMs = 0,
  ) {
    this.botId = newId();
    this.users.set(this.botId, {
      object: 'user',
      id: this.botId,
      name: 'notion-sync emulator',
      avatar_url: null,
      type: 'bot',
      bot: {
        owner: { type: 'workspace', workspace: true },
        workspace_id: newId(),
        workspace_name: 'Emulator workspace',
        workspace_limits: { max_file_upload_size_in_bytes: 5_242_880 },
      },
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Snapshots (persistence, reset)

  /** The whole state as plain JSON (history of the lagging index is not kept). */
  snapshot(): WorkspaceSnapshot {
    return {
      botId: this.botId,
      rootPageId: this.rootPageId,
      users: [...this.users.values()],
      pages: [...this.pages.values()].map((p) => ({
        page: p.page,
        editedMs: p.editedMs,
        unshared: p.unshared,
      })),
      blocks: [...this.blocks.values()],
      databases: [...this.databases.values()],
      dataSources: [...this.dataSources.values()],
      children: [...this.children.entries()],
    };
  }

  /** Replaces the state with a snapshot. */
  restore(s: WorkspaceSnapshot): void {
    this.clear();
    this.botId = s.botId;
    this.rootPageId = s.rootPageId;
    for (const u of s.users) this.users.set(u.id as string, u);
    for (const p of s.pages) this.pages.set(p.page.id as string, { ...p });
    for (const b of s.blocks) this.blocks.set(b.block.id as string, b);
    for (const d of s.databases) this.databases.set(d.db.id as string, d);
    for (const d of s.dataSources) this.dataSources.set(d.ds.id as string, d);
    for (const [k, v] of s.children) this.children.set(k, v);
  }

  /** Removes every object except the bot. */
  clear(): void {
    const bot = this.users.get(this.botId);
    this.users.clear();
    if (bot) this.users.set(this.botId, bot);
    this.pages.clear();
    this.blocks.clear();
    this.databases.clear();
    this.dataSources.clear();
    this.children.clear();
    this.changes.clear();
    this.rootPageId = undefined;
  }

  // ------------------------------------------------------------------------------------------------
  // Users

  /** Adds a person user (for the engine's email → user mapping). */
  createUser(user: NewUser): JsonObject {
    const id = user.id ? (normalizeId(user.id) ?? newId()) : newId();
    const u = {
      object: 'user',
      id,
      name: user.name,
      avatar_url: null,
      type: 'person',
      person: { email: user.email },
    };
    this.users.set(id, u);
    this.onChange();
    return u;
  }

  getUser(id: string): JsonObject {
    const u = this.users.get(id);
    if (!u) throw notFound('user', id);
    return u;
  }

  // ------------------------------------------------------------------------------------------------
  // Time and lookups

  now(): number {
    return this.clock.now();
  }

  #stamp(): { iso: string; by: JsonObject } {
    return { iso: minuteIso(this.now()), by: { object: 'user', id: this.botId } };
  }

  /** A page visible to the integration, else 404 (missing and unshared look the same). */
  getPage(id: string): PageRecord {
    const rec = this.pages.get(id);
    if (!rec || rec.unshared) throw notFound('page', id);
    return rec;
  }

  getDatabase(id: string): DatabaseRecord {
    const rec = this.databases.get(id);
    if (!rec) throw notFound('database', id);
    return rec;
  }

  getDataSource(id: string): DataSourceRecord {
    const rec = this.dataSources.get(id);
    if (!rec) throw notFound('data_source', id);
    return rec;
  }

  /** The data source a page is a row of, if any. */
  dataSourceOf(page: JsonObject): DataSourceRecord | undefined {
    const parent = page.parent as JsonObject;
    return parent.type === 'data_source_id'
      ? this.dataSources.get(parent.data_source_id as string)
      : undefined;
  }

  /** The plain title of a page. */
  pageTitle(page: JsonObject): string {
    for (const v of Object.values(page.properties as Record<string, JsonObject>)) {
      if (v.type === 'title') return plainText(v.title);
    }
    return '';
  }

  /** Schema of a data source (`properties`). */
  schemaOf(rec: DataSourceRecord): Record<string, JsonObject> {
    return rec.ds.properties as Record<string, JsonObject>;
  }

  #valueContext(): ValueContext {
    return {
      userName: (id) => this.users.get(id)?.name as string | undefined,
      pageTitle: (id) => {
        const p = this.pages.get(id);
        if (p) return this.pageTitle(p.page);
        const d = this.databases.get(id);
        return d ? plainText(d.db.title) : undefined;
      },
      userValue: (id) => this.users.get(id),
      isRowOf: (pageId, dsId) => {
        const p = this.pages.get(pageId);
        return !!p && !p.unshared && (p.page.parent as JsonObject).data_source_id === dsId;
      },
      botId: this.botId,
      nowIso: new Date(this.now()).toISOString(),
    };
  }

  /** Resolver for rich text mentions (user names, page titles). */
  get mentions(): ValueContext {
    return this.#valueContext();
  }

  #schemaResolver(): SchemaResolver {
    return {
      relationTarget: (raw, path) => {
        const ids = relationIds(raw, path);
        if (ids.dataSourceId) {
          const ds = this.dataSources.get(ids.dataSourceId);
          if (!ds)
            throw shouldBe(
              `${path}.data_source_id`,
              'the id of a data source shared with the integration',
              ids.dataSourceId,
            );
          return {
            dataSourceId: ids.dataSourceId,
            databaseId: (ds.ds.parent as JsonObject).database_id as string,
          };
        }
        const db = this.databases.get(ids.databaseId as string);
        if (!db)
          throw shouldBe(
            `${path}.database_id`,
            'the id of a database shared with the integration',
            ids.databaseId,
          );
        if (db.dataSourceIds.length !== 1) throw multipleDataSources(db);
        return { dataSourceId: db.dataSourceIds[0] as string, databaseId: db.db.id as string };
      },
      schemaOf: (id) => this.schemaOf(this.getDataSource(id)),
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Change tracking

  /** Records a page edit: bumps its timestamps, its data source's revision and the index history. */
  touchPage(rec: PageRecord, bump = true): void {
    const page = rec.page;
    if (bump) {
      const { iso, by } = this.#stamp();
      page.last_edited_time = iso;
      page.last_edited_by = by;
      rec.editedMs = this.now();
      for (const v of Object.values(page.properties as Record<string, JsonObject>)) {
        if (v.type === 'last_edited_time') v.last_edited_time = iso;
        else if (v.type === 'last_edited_by') v.last_edited_by = by;
      }
    }
    const ds = this.dataSourceOf(page);
    if (ds) this.changes.rowChanged(ds, page.id as string);
    this.#recordHistory(rec);
    this.onChange();
  }

  #recordHistory(rec: PageRecord): void {
    if (this.lagMs <= 0) return;
    const now = this.now();
    const history = (rec.history ??= [{ at: -Infinity, page: null }]);
    history.push({ at: now, page: clone(rec.page) });
    // Keep the newest state older than the lag window plus everything inside it.
    const visibleAt = now - this.lagMs;
    let keepFrom = 0;
    for (let i = 0; i < history.length; i++) if ((history[i] as { at: number }).at <= visibleAt) keepFrom = i;
    if (keepFrom > 0) history.splice(0, keepFrom);
  }

  /** The page as the lagging query index sees it at `at` (`null` when it did not exist yet). */
  indexedPage(rec: PageRecord, at: number): JsonObject | null {
    if (this.lagMs <= 0 || !rec.history) return rec.page;
    let best: JsonObject | null = null;
    for (const h of rec.history) if (h.at <= at) best = h.page;
    return best;
  }

  #touchDataSource(rec: DataSourceRecord): void {
    const { iso, by } = this.#stamp();
    rec.ds.last_edited_time = iso;
    rec.ds.last_edited_by = by;
    this.changes.dataSourceChanged(rec);
    this.onChange();
  }

  // ------------------------------------------------------------------------------------------------
  // Computed values

  /** The page with formulas and rollups computed (returns the stored object when there are none). */
  materialize(page: JsonObject): JsonObject {
    return this.#computed(page, true);
  }

  /**
   * The page with its computed values: rollups first (when `withRollups`), then formulas, which may read
   * them. Rollup targets are computed without rollups, which avoids rollup → rollup cycles across related
   * data sources.
   */
  #computed(page: JsonObject, withRollups: boolean): JsonObject {
    const ds = this.dataSourceOf(page);
    if (!ds) return page;
    const schema = Object.values(this.schemaOf(ds));
    let props: Record<string, JsonObject> | undefined;
    for (const prop of schema) {
      if (prop.type !== 'rollup' || !withRollups) continue;
      props ??= { ...(page.properties as Record<string, JsonObject>) };
      props[prop.name as string] = { id: prop.id, type: 'rollup', rollup: this.#rollup(props, prop) };
    }
    for (const prop of schema) {
      if (prop.type !== 'formula') continue;
      props ??= { ...(page.properties as Record<string, JsonObject>) };
      props[prop.name as string] = {
        id: prop.id,
        type: 'formula',
        formula: evaluateFormula((prop.formula as JsonObject).expression as string, props),
      };
    }
    return props ? { ...page, properties: props } : page;
  }

  #rollup(props: Record<string, JsonObject>, prop: JsonObject): JsonObject {
    const cfg = prop.rollup as JsonObject;
    const rel = Object.values(props).find((v) => v.id === cfg.relation_property_id);
    const ids =
      rel && Array.isArray(rel.relation) ? (rel.relation as JsonObject[]).map((r) => r.id as string) : [];
    const values: JsonObject[] = [];
    for (const id of ids) {
      const target = this.pages.get(id);
      if (!target || target.unshared || target.page.in_trash) continue;
      const materialized = this.#computed(target.page, false);
      const v = Object.values(materialized.properties as Record<string, JsonObject>).find(
        (x) => x.id === cfg.rollup_property_id,
      );
      if (v) values.push(v);
    }
    return computeRollup(cfg.function as string, values);
  }

  // ------------------------------------------------------------------------------------------------
  // Pages

  /** Resolves a `parent` of `pages.create` / `pages.move` to the stored parent object. */
  #pageParent(
    raw: unknown,
    path: string,
  ): { parent: JsonObject; ds?: DataSourceRecord; containerId?: string } {
    if (!isObject(raw)) {
      if (raw === undefined) throw shouldBeDefined(path);
      throw shouldBe(path, 'an object', raw);
    }
    if (raw.data_source_id !== undefined) {
      const id = normalizeId(raw.data_source_id);
      if (!id) throw shouldBe(`${path}.data_source_id`, 'a valid uuid', raw.data_source_id);
      const ds = this.getDataSource(id);
      if (ds.ds.in_trash) throw validationError(ARCHIVED_EDIT_MESSAGE);
      return {
        parent: {
          type: 'data_source_id',
          data_source_id: id,
          database_id: (ds.ds.parent as JsonObject).database_id,
        },
        ds,
      };
    }
    if (raw.database_id !== undefined) {
      const id = normalizeId(raw.database_id);
      if (!id) throw shouldBe(`${path}.database_id`, 'a valid uuid', raw.database_id);
      const db = this.getDatabase(id);
      if (db.dataSourceIds.length !== 1) throw multipleDataSources(db);
      return this.#pageParent({ data_source_id: db.dataSourceIds[0] }, path);
    }
    if (raw.page_id !== undefined) {
      const id = normalizeId(raw.page_id);
      if (!id) throw shouldBe(`${path}.page_id`, 'a valid uuid', raw.page_id);
      const p = this.getPage(id);
      if (p.page.in_trash) throw validationError(ARCHIVED_EDIT_MESSAGE);
      return { parent: { type: 'page_id', page_id: id }, containerId: id };
    }
    if (raw.workspace === true) return { parent: { type: 'workspace', workspace: true } };
    throw shouldBe(path, 'an object with `page_id`, `data_source_id`, `database_id` or `workspace`', raw);
  }

  /** Creates a page (a row when the parent is a data source or database) with its initial children. */
  createPage(body: JsonObject, children: BlockDraft[], opts: { unshared?: boolean } = {}): PageRecord {
    const { parent, ds, containerId } = this.#pageParent(body.parent, 'body.parent');
    const { iso, by } = this.#stamp();
    const id = newId();
    const page: JsonObject = {
      object: 'page',
      id,
      created_time: iso,
      last_edited_time: iso,
      created_by: by,
      last_edited_by: by,
      cover: body.cover === undefined ? null : fileIcon(body.cover, 'body.cover', false),
      icon: body.icon === undefined ? null : fileIcon(body.icon, 'body.icon', true),
      parent,
      in_trash: false,
      archived: false,
      is_archived: false,
      is_locked: false,
      properties: {},
      url: '',
      public_url: null,
    };
    if (ds) {
      const props: Record<string, JsonObject> = {};
      for (const prop of Object.values(this.schemaOf(ds)))
        props[prop.name as string] = this.#initialValue(prop, page, ds);
      page.properties = props;
      this.#writeRowProperties(page, ds, body.properties ?? {}, true);
    } else {
      page.properties = { title: { id: 'title', type: 'title', title: [] } };
      this.#writePlainPageProperties(page, body.properties ?? {});
    }
    page.url = notionUrl(id, this.pageTitle(page));
    const rec: PageRecord = { page, editedMs: this.now(), unshared: opts.unshared === true };
    this.pages.set(id, rec);
    if (ds) ds.rows.push(id);
    if (containerId) this.#childList(containerId).push(id);
    if (children.length) this.insertBlocks(id, children, { type: 'end' }, false);
    this.#syncNewRelations(rec);
    this.touchPage(rec, false);
    return rec;
  }

  #initialValue(prop: JsonObject, page: JsonObject, ds: DataSourceRecord): JsonObject {
    const type = prop.type as string;
    let value: unknown;
    if (type === 'created_time' || type === 'last_edited_time') value = page.created_time;
    else if (type === 'created_by' || type === 'last_edited_by') value = page.created_by;
    else if (type === 'unique_id')
      value = { prefix: (prop.unique_id as JsonObject).prefix ?? null, number: ds.nextUniqueId++ };
    else value = defaultValue(prop);
    return { id: prop.id, type, [type]: value };
  }

  #writePlainPageProperties(page: JsonObject, raw: unknown): void {
    if (!isObject(raw)) throw shouldBe('body.properties', 'an object', raw);
    for (const [key, value] of Object.entries(raw)) {
      const isTitle = key === 'title' || (isObject(value) && 'title' in value);
      if (!isTitle) throw validationError(`${key} is not a property that exists.`);
      const r = writeValue(
        { id: 'title', name: key, type: 'title' },
        value,
        `body.properties.${key}`,
        this.#valueContext(),
      );
      page.properties = { title: { id: 'title', type: 'title', title: r.value } };
    }
  }

  /** Applies property writes to a row; returns the names written. */
  #writeRowProperties(page: JsonObject, ds: DataSourceRecord, raw: unknown, creating: boolean): string[] {
    if (!isObject(raw)) throw shouldBe('body.properties', 'an object', raw);
    const schema = this.schemaOf(ds);
    const props = page.properties as Record<string, JsonObject>;
    const ctx = this.#valueContext();
    const written: string[] = [];
    // Validate everything first so that a failing write changes nothing.
    const planned: { prop: JsonObject; value: unknown; created?: JsonObject[] }[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const prop = findProperty(schema, key);
      if (!prop) throw validationError(`${key} is not a property that exists.`);
      const r = writeValue(prop, value, `body.properties.${key}`, ctx);
      planned.push({ prop, value: r.value, ...(r.createdOptions ? { created: r.createdOptions } : {}) });
    }
    let schemaChanged = false;
    for (const { prop, value, created } of planned) {
      const type = prop.type as string;
      const name = prop.name as string;
      if (created) {
        const cfg = prop[type] as JsonObject;
        cfg.options = [...(cfg.options as JsonObject[]), ...created];
        schemaChanged = true;
      }
      const old = props[name];
      props[name] = { id: prop.id, type, [type]: value };
      written.push(name);
      if (type === 'relation' && !creating)
        this.#syncRelation(page, prop, old ? (old.relation as JsonObject[]) : [], value as JsonObject[]);
    }
    if (schemaChanged) this.#touchDataSource(ds);
    return written;
  }

  /** After a row is created, mirrors its dual relations onto the related pages. */
  #syncNewRelations(rec: PageRecord): void {
    const ds = this.dataSourceOf(rec.page);
    if (!ds) return;
    const props = rec.page.properties as Record<string, JsonObject>;
    for (const prop of Object.values(this.schemaOf(ds))) {
      if (prop.type !== 'relation') continue;
      const v = props[prop.name as string];
      if (v && (v.relation as JsonObject[]).length)
        this.#syncRelation(rec.page, prop, [], v.relation as JsonObject[]);
    }
  }

  /** Keeps a dual (two-way) relation in sync: adds/removes `page` on the synced property of related pages. */
  #syncRelation(page: JsonObject, prop: JsonObject, before: JsonObject[], after: JsonObject[]): void {
    const cfg = prop.relation as JsonObject;
    if (cfg.type !== 'dual_property') return;
    const syncedId = (cfg.dual_property as JsonObject).synced_property_id as string | undefined;
    if (!syncedId) return;
    const target = this.dataSources.get(cfg.data_source_id as string);
    if (!target) return;
    const syncedProp = Object.values(this.schemaOf(target)).find((p) => p.id === syncedId);
    if (!syncedProp) return;
    const oldIds = new Set(before.map((r) => r.id as string));
    const newIds = new Set(after.map((r) => r.id as string));
    const pageId = page.id as string;
    for (const id of new Set([...oldIds, ...newIds])) {
      if (oldIds.has(id) === newIds.has(id)) continue;
      const other = this.pages.get(id);
      if (!other) continue;
      const oprops = other.page.properties as Record<string, JsonObject>;
      const cur = oprops[syncedProp.name as string];
      const list = cur ? [...(cur.relation as JsonObject[])] : [];
      const next = newIds.has(id)
        ? list.some((r) => r.id === pageId)
          ? list
          : [...list, { id: pageId }]
        : list.filter((r) => r.id !== pageId);
      oprops[syncedProp.name as string] = { id: syncedProp.id, type: 'relation', relation: next };
      if (other.page !== page) this.touchPage(other);
    }
  }

  /** `pages.update`: properties, icon, cover, trash, archive/lock flags, erase_content. */
  updatePage(rec: PageRecord, body: JsonObject): void {
    const page = rec.page;
    const trashFlag = body.in_trash ?? body.archived;
    if (trashFlag !== undefined && typeof trashFlag !== 'boolean')
      throw shouldBe(body.in_trash !== undefined ? 'body.in_trash' : 'body.archived', 'a boolean', trashFlag);
    const edits =
      body.properties !== undefined ||
      body.icon !== undefined ||
      body.cover !== undefined ||
      body.erase_content === true;
    if (page.in_trash && trashFlag !== false && edits) throw validationError(ARCHIVED_EDIT_MESSAGE);
    for (const k of ['is_archived', 'is_locked'] as const) {
      if (body[k] !== undefined && typeof body[k] !== 'boolean')
        throw shouldBe(`body.${k}`, 'a boolean', body[k]);
    }
    const icon = body.icon === undefined ? undefined : fileIcon(body.icon, 'body.icon', true);
    const cover = body.cover === undefined ? undefined : fileIcon(body.cover, 'body.cover', false);
    if (trashFlag !== undefined) {
      page.in_trash = trashFlag;
      page.archived = trashFlag;
    }
    const ds = this.dataSourceOf(page);
    if (body.properties !== undefined) {
      if (ds) this.#writeRowProperties(page, ds, body.properties, false);
      else this.#writePlainPageProperties(page, body.properties);
    }
    if (icon !== undefined) page.icon = icon;
    if (cover !== undefined) page.cover = cover;
    if (body.is_archived !== undefined) page.is_archived = body.is_archived;
    if (body.is_locked !== undefined) page.is_locked = body.is_locked;
    if (body.erase_content === true) {
      for (const childId of this.children.get(page.id as string) ?? []) this.#trashChild(childId);
    }
    this.touchPage(rec);
  }

  #trashChild(id: string): void {
    const block = this.blocks.get(id);
    if (block) {
      block.block.in_trash = true;
      block.block.archived = true;
      return;
    }
    const page = this.pages.get(id);
    if (page) {
      page.page.in_trash = true;
      page.page.archived = true;
      this.touchPage(page);
      return;
    }
    const db = this.databases.get(id);
    if (db) this.#setDatabaseTrash(db, true);
  }

  /**
   * Trashes the block children of a page (child pages and databases stay), for markdown writes that
   * replace the body. Returns how many blocks were trashed.
   */
  trashBlockChildren(pageId: string): number {
    let n = 0;
    for (const id of this.children.get(pageId) ?? []) {
      const b = this.blocks.get(id);
      if (b && !b.block.in_trash) {
        b.block.in_trash = true;
        b.block.archived = true;
        n++;
      }
    }
    return n;
  }

  /** `pages.move`: to another page or to a data source (properties with the same name and type are kept). */
  movePage(rec: PageRecord, body: JsonObject): void {
    const page = rec.page;
    if (page.in_trash) throw validationError(ARCHIVED_EDIT_MESSAGE);
    const raw = body.parent;
    if (isObject(raw) && raw.workspace !== undefined)
      throw shouldBe('body.parent', 'an object with `page_id` or `data_source_id`', raw);
    const { parent, ds, containerId } = this.#pageParent(raw, 'body.parent');
    if (containerId === page.id)
      throw validationError('body failed validation: a page cannot be moved into itself.');
    const oldDs = this.dataSourceOf(page);
    const oldParent = page.parent as JsonObject;
    const oldContainer = (oldParent.page_id ?? oldParent.block_id) as string | undefined;
    const title =
      (Object.values(page.properties as Record<string, JsonObject>).find((v) => v.type === 'title')?.title as
        JsonObject[] | undefined) ?? [];
    const oldProps = page.properties as Record<string, JsonObject>;
    if (ds) {
      const props: Record<string, JsonObject> = {};
      for (const prop of Object.values(this.schemaOf(ds))) {
        const kept = oldProps[prop.name as string];
        props[prop.name as string] =
          prop.type === 'title'
            ? { id: 'title', type: 'title', title }
            : kept && kept.type === prop.type && !isComputed(prop.type as string)
              ? { ...kept, id: prop.id }
              : this.#initialValue(prop, page, ds);
      }
      page.properties = props;
      ds.rows.push(page.id as string);
    } else {
      page.properties = { title: { id: 'title', type: 'title', title } };
    }
    if (oldDs) {
      const i = oldDs.rows.indexOf(page.id as string);
      if (i >= 0) oldDs.rows.splice(i, 1);
      this.changes.rowChanged(oldDs, page.id as string);
    }
    if (oldContainer) {
      const list = this.children.get(oldContainer);
      const i = list ? list.indexOf(page.id as string) : -1;
      if (list && i >= 0) list.splice(i, 1);
    }
    if (containerId) this.#childList(containerId).push(page.id as string);
    page.parent = parent;
    this.touchPage(rec);
  }

  // ------------------------------------------------------------------------------------------------
  // Blocks

  #childList(parentId: string): string[] {
    let list = this.children.get(parentId);
    if (!list) this.children.set(parentId, (list = []));
    return list;
  }

  /** The page a page or block id belongs to (itself for a page). */
  containingPageId(id: string): string | undefined {
    if (this.pages.has(id)) return id;
    return this.blocks.get(id)?.pageId;
  }

  /** Inserts block drafts (recursively) under a page or block; returns the new top-level block ids. */
  insertBlocks(parentId: string, drafts: BlockDraft[], position: InsertPosition, bump = true): string[] {
    const pageId = this.containingPageId(parentId);
    if (pageId === undefined) throw notFound('block', parentId);
    const list = this.#childList(parentId);
    let at = list.length;
    if (position.type === 'start') at = 0;
    else if (position.type === 'after_block') {
      const i = list.indexOf(position.blockId);
      if (i < 0)
        throw validationError(
          `body failed validation: body.position.after_block.id should be the id of a child block of ${parentId}, instead was \`"${position.blockId}"\`.`,
        );
      at = i + 1;
    }
    const { iso, by } = this.#stamp();
    const parent = this.pages.has(parentId)
      ? { type: 'page_id', page_id: parentId }
      : { type: 'block_id', block_id: parentId };
    const ids = drafts.map((d) => this.#createBlock(d, parent, pageId, iso, by));
    list.splice(at, 0, ...ids);
    if (bump) this.#touchBlockAndPage(parentId);
    else this.onChange();
    return ids;
  }

  #createBlock(d: BlockDraft, parent: JsonObject, pageId: string, iso: string, by: JsonObject): string {
    const id = newId();
    const block: JsonObject = {
      object: 'block',
      id,
      parent,
      created_time: iso,
      last_edited_time: iso,
      created_by: by,
      last_edited_by: by,
      has_children: false,
      in_trash: false,
      archived: false,
      type: d.type,
      [d.type]: d.payload,
    };
    this.blocks.set(id, { block, pageId });
    if (d.children.length) {
      const childParent = { type: 'block_id', block_id: id };
      this.children.set(
        id,
        d.children.map((c) => this.#createBlock(c, childParent, pageId, iso, by)),
      );
    }
    return id;
  }

  /** Bumps `last_edited_time` of a block (if `id` is one) and of its page. */
  #touchBlockAndPage(id: string): void {
    const rec = this.blocks.get(id);
    if (rec) {
      const { iso, by } = this.#stamp();
      rec.block.last_edited_time = iso;
      rec.block.last_edited_by = by;
    }
    const pageId = this.containingPageId(id);
    const page = pageId === undefined ? undefined : this.pages.get(pageId);
    if (page) this.touchPage(page);
    else this.onChange();
  }

  /** Block ids in `parentId`'s children that are not trashed (children list, has_children). */
  visibleChildren(parentId: string): string[] {
    const list = this.children.get(parentId);
    if (!list) return [];
    return list.filter((id) => {
      const b = this.blocks.get(id);
      if (b) return !b.block.in_trash;
      const p = this.pages.get(id);
      if (p) return !p.page.in_trash;
      const d = this.databases.get(id);
      return !!d && !d.db.in_trash;
    });
  }

  /** Checks that a block, page or database id is accessible; returns its kind. */
  blockKind(id: string): 'block' | 'page' | 'database' {
    const b = this.blocks.get(id);
    if (b) {
      const page = this.pages.get(b.pageId);
      if (!page || page.unshared) throw notFound('block', id);
      return 'block';
    }
    const p = this.pages.get(id);
    if (p && !p.unshared) return 'page';
    if (this.databases.has(id)) return 'database';
    throw notFound('block', id);
  }

  /** `blocks.update`: the type payload (partial) and/or `in_trash`. */
  updateBlock(id: string, body: JsonObject, version: string): void {
    const kind = this.blockKind(id);
    const trashFlag = body.in_trash ?? body.archived;
    if (trashFlag !== undefined && typeof trashFlag !== 'boolean')
      throw shouldBe('body.in_trash', 'a boolean', trashFlag);
    if (kind === 'page') {
      const rec = this.getPage(id);
      const typeKeys = Object.keys(body).filter((k) => k !== 'in_trash' && k !== 'archived' && k !== 'type');
      if (typeKeys.length)
        throw validationError(
          `body failed validation: body.${typeKeys[0] as string} should be not present (update a page through PATCH /v1/pages/${id}).`,
        );
      if (trashFlag !== undefined) this.updatePage(rec, { in_trash: trashFlag });
      return;
    }
    if (kind === 'database') {
      if (trashFlag !== undefined) this.#setDatabaseTrash(this.getDatabase(id), trashFlag);
      return;
    }
    const rec = this.blocks.get(id) as BlockRecord;
    const block = rec.block;
    const type = block.type as string;
    const otherKeys = Object.keys(body).filter(
      (k) => k !== 'in_trash' && k !== 'archived' && k !== 'type' && k !== type,
    );
    if (otherKeys.length)
      throw validationError(
        `body failed validation: body.${otherKeys[0] as string} should be not present, the block is of type \`${type}\`.`,
      );
    const payload = body[type];
    if (block.in_trash && trashFlag !== false && payload !== undefined)
      throw validationError(ARCHIVED_EDIT_MESSAGE);
    if (payload !== undefined) {
      if (!isObject(payload)) throw shouldBe(`body.${type}`, 'an object', payload);
      if ('children' in payload)
        throw validationError(`body failed validation: body.${type}.children should be not present.`);
      const update = blockPayload(type, payload, `body.${type}`, this.#valueContext(), true);
      block[type] = { ...(block[type] as JsonObject), ...update };
    }
    if (trashFlag !== undefined) {
      block.in_trash = trashFlag;
      block.archived = trashFlag;
    }
    void version;
    this.#touchBlockAndPage(id);
  }

  /** `blocks.delete`: moves the block (or page, or database) to the trash. */
  deleteBlock(id: string): void {
    const kind = this.blockKind(id);
    if (kind === 'page') {
      this.updatePage(this.getPage(id), { in_trash: true });
      return;
    }
    if (kind === 'database') {
      this.#setDatabaseTrash(this.getDatabase(id), true);
      return;
    }
    const rec = this.blocks.get(id) as BlockRecord;
    rec.block.in_trash = true;
    rec.block.archived = true;
    this.#touchBlockAndPage(id);
  }

  // ------------------------------------------------------------------------------------------------
  // Databases and data sources

  #databaseParent(raw: unknown): { parent: JsonObject; containerId?: string } {
    if (!isObject(raw)) {
      if (raw === undefined) throw shouldBeDefined('body.parent');
      throw shouldBe('body.parent', 'an object', raw);
    }
    if (raw.type === undefined) throw shouldBeDefined('body.parent.type');
    if (raw.type === 'page_id') {
      const id = normalizeId(raw.page_id);
      if (!id) throw shouldBe('body.parent.page_id', 'a valid uuid', raw.page_id);
      const p = this.getPage(id);
      if (p.page.in_trash) throw validationError(ARCHIVED_EDIT_MESSAGE);
      return { parent: { type: 'page_id', page_id: id }, containerId: id };
    }
    if (raw.type === 'workspace' && raw.workspace === true)
      return { parent: { type: 'workspace', workspace: true } };
    throw shouldBe('body.parent.type', '`page_id` or `workspace`', raw.type);
  }

  /** `databases.create`: the container plus its first data source (`initial_data_source`, or 2022's `properties`). */
  createDatabase(body: JsonObject, version: string): DatabaseRecord {
    const { parent, containerId } = this.#databaseParent(body.parent);
    const ctx = this.#valueContext();
    const title = body.title === undefined ? [] : richTextResponse(body.title, 'body.title', ctx);
    const description =
      body.description === undefined ? [] : richTextResponse(body.description, 'body.description', ctx);
    const { iso, by } = this.#stamp();
    const id = newId();
    const db: JsonObject = {
      object: 'database',
      id,
      title,
      description,
      parent,
      is_inline: body.is_inline === true,
      in_trash: false,
      archived: false,
      is_locked: false,
      created_time: iso,
      last_edited_time: iso,
      created_by: by,
      last_edited_by: by,
      icon: body.icon === undefined ? null : fileIcon(body.icon, 'body.icon', true),
      cover: body.cover === undefined ? null : fileIcon(body.cover, 'body.cover', false),
      url: notionUrl(id, plainText(title)),
      public_url: null,
    };
    const rec: DatabaseRecord = { db, dataSourceIds: [] };
    this.databases.set(id, rec);
    if (containerId) this.#childList(containerId).push(id);
    const initial = version === '2022-06-28' ? { properties: body.properties } : body.initial_data_source;
    if (initial !== undefined && !isObject(initial))
      throw shouldBe('body.initial_data_source', 'an object', initial);
    try {
      this.#createDataSourceIn(
        rec,
        (initial ?? {}) as JsonObject,
        version === '2022-06-28' ? 'body.properties' : 'body.initial_data_source.properties',
      );
    } catch (e) {
      this.databases.delete(id);
      if (containerId) this.children.get(containerId)?.pop();
      throw e;
    }
    this.onChange();
    return rec;
  }

  #createDataSourceIn(db: DatabaseRecord, body: JsonObject, propsPath: string): DataSourceRecord {
    const { iso, by } = this.#stamp();
    const id = newId();
    const ctx = this.#valueContext();
    const title =
      body.title === undefined
        ? (db.db.title as JsonObject[])
        : richTextResponse(body.title, 'body.title', ctx);
    const ds: JsonObject = {
      object: 'data_source',
      id,
      title,
      description: [],
      parent: { type: 'database_id', database_id: db.db.id },
      database_parent: db.db.parent,
      is_inline: db.db.is_inline,
      in_trash: false,
      archived: false,
      created_time: iso,
      last_edited_time: iso,
      created_by: by,
      last_edited_by: by,
      properties: {},
      icon: body.icon === undefined ? db.db.icon : fileIcon(body.icon, 'body.icon', true),
      cover: null,
      url: notionUrl(id, plainText(title)),
      public_url: null,
    };
    const rec: DataSourceRecord = { ds, rows: [], nextUniqueId: 1, revision: 0 };
    const raw = body.properties ?? {};
    if (!isObject(raw)) throw shouldBe(propsPath, 'an object', raw);
    const hasTitle = Object.values(raw).some((v) => isObject(v) && configTypeOf(v) === 'title');
    const withTitle = hasTitle ? raw : { Name: { title: {} }, ...raw };
    this.dataSources.set(id, rec);
    try {
      this.updateSchema(rec, withTitle, propsPath);
    } catch (e) {
      this.dataSources.delete(id);
      throw e;
    }
    db.dataSourceIds.push(id);
    return rec;
  }

  /** `dataSources.create`: another data source in an existing database. */
  createDataSource(body: JsonObject): DataSourceRecord {
    const parent = body.parent;
    if (!isObject(parent))
      throw parent === undefined
        ? shouldBeDefined('body.parent')
        : shouldBe('body.parent', 'an object', parent);
    const dbId = normalizeId(parent.database_id);
    if (!dbId) throw shouldBe('body.parent.database_id', 'a valid uuid', parent.database_id);
    const db = this.getDatabase(dbId);
    const rec = this.#createDataSourceIn(db, body, 'body.properties');
    this.onChange();
    return rec;
  }

  /** `databases.update`: title, description, inline, icon, cover, trash, lock (2022: also `properties`). */
  updateDatabase(rec: DatabaseRecord, body: JsonObject, version: string): void {
    const db = rec.db;
    const ctx = this.#valueContext();
    const trashFlag = body.in_trash ?? (version === '2022-06-28' ? body.archived : undefined);
    if (trashFlag !== undefined && typeof trashFlag !== 'boolean')
      throw shouldBe('body.in_trash', 'a boolean', trashFlag);
    if (db.in_trash && trashFlag !== false && (body.title !== undefined || body.properties !== undefined))
      throw validationError(ARCHIVED_EDIT_MESSAGE);
    if (body.title !== undefined) {
      db.title = richTextResponse(body.title, 'body.title', ctx);
      db.url = notionUrl(db.id as string, plainText(db.title));
    }
    if (body.description !== undefined)
      db.description = richTextResponse(body.description, 'body.description', ctx);
    if (body.is_inline !== undefined) db.is_inline = body.is_inline === true;
    if (body.icon !== undefined) db.icon = fileIcon(body.icon, 'body.icon', true);
    if (body.cover !== undefined) db.cover = fileIcon(body.cover, 'body.cover', false);
    if (body.is_locked !== undefined) db.is_locked = body.is_locked === true;
    if (version === '2022-06-28' && body.properties !== undefined) {
      const ds = this.getDataSource(rec.dataSourceIds[0] as string);
      if (!isObject(body.properties)) throw shouldBe('body.properties', 'an object', body.properties);
      this.updateSchema(ds, body.properties, 'body.properties');
      if (body.title !== undefined) ds.ds.title = db.title;
    }
    if (trashFlag !== undefined) this.#setDatabaseTrash(rec, trashFlag);
    const { iso, by } = this.#stamp();
    db.last_edited_time = iso;
    db.last_edited_by = by;
    this.onChange();
  }

  #setDatabaseTrash(rec: DatabaseRecord, flag: boolean): void {
    rec.db.in_trash = flag;
    rec.db.archived = flag;
    for (const id of rec.dataSourceIds) {
      const ds = this.dataSources.get(id);
      if (ds) {
        ds.ds.in_trash = flag;
        ds.ds.archived = flag;
        this.#touchDataSource(ds);
      }
    }
    this.onChange();
  }

  /** `dataSources.update`: title, icon, schema, trash. */
  updateDataSource(rec: DataSourceRecord, body: JsonObject): void {
    const ds = rec.ds;
    const trashFlag = body.in_trash ?? body.archived;
    if (trashFlag !== undefined && typeof trashFlag !== 'boolean')
      throw shouldBe('body.in_trash', 'a boolean', trashFlag);
    if (ds.in_trash && trashFlag !== false && (body.title !== undefined || body.properties !== undefined))
      throw validationError(ARCHIVED_EDIT_MESSAGE);
    if (body.parent !== undefined)
      throw validationError(
        'body failed validation: body.parent (moving a data source) is not supported by the emulator.',
      );
    if (body.title !== undefined) ds.title = richTextResponse(body.title, 'body.title', this.#valueContext());
    if (body.icon !== undefined) ds.icon = fileIcon(body.icon, 'body.icon', true);
    if (body.properties !== undefined) {
      if (!isObject(body.properties)) throw shouldBe('body.properties', 'an object', body.properties);
      this.updateSchema(rec, body.properties, 'body.properties');
    }
    if (trashFlag !== undefined) {
      ds.in_trash = trashFlag;
      ds.archived = trashFlag;
    }
    this.#touchDataSource(rec);
  }

  /**
   * Applies a schema request: a config adds or changes a property, `{name}` renames it, `null` removes it
   * (notion-api-facts.md §7). Rows follow: new properties get their default, removed ones disappear,
   * renamed ones move, a type change resets values, removed options are dropped from values.
   */
  updateSchema(rec: DataSourceRecord, raw: JsonObject, path: string): void {
    // Work on a copy so that a failing request changes nothing.
    const schema: Record<string, JsonObject> = clone(this.schemaOf(rec));
    const resolver = this.#schemaResolver();
    const effects: (() => void)[] = [];
    for (const [key, val] of Object.entries(raw)) {
      const p = `${path}.${key}`;
      const existing = findProperty(schema, key);
      if (val === null) {
        if (!existing) throw validationError(`${key} is not a property that exists.`);
        if (existing.type === 'title') throw validationError(`Cannot delete the title property ${key}.`);
        delete schema[existing.name as string];
        effects.push(() => this.#forRows(rec, (props) => delete props[existing.name as string]));
        continue;
      }
      if (!isObject(val)) throw shouldBe(p, 'an object or `null`', val);
      const newName =
        typeof val.name === 'string' && val.name !== ''
          ? val.name
          : ((existing?.name as string | undefined) ?? key);
      const typeGiven = configTypeOf(val);
      if (!existing && typeGiven === undefined)
        throw validationError(`${key} is not a property that exists.`);
      if (existing && newName !== existing.name && schema[newName])
        throw validationError(`A property named ${newName} already exists.`);
      if (
        typeGiven === 'title' &&
        (!existing || existing.type !== 'title') &&
        Object.values(schema).some((x) => x.type === 'title')
      ) {
        throw validationError(`body failed validation: ${p} cannot be a second title property.`);
      }
      if (existing?.type === 'title' && typeGiven !== undefined && typeGiven !== 'title')
        throw validationError(`Cannot change the type of the title property ${String(existing.name)}.`);
      const cfg = propertyConfig(
        newName,
        typeGiven === undefined ? { ...val, type: existing?.type } : val,
        p,
        schema,
        resolver,
        existing,
      );
      // Rebuild the schema in order, with the property under its (new) name.
      const oldName = existing?.name as string | undefined;
      const rebuilt: Record<string, JsonObject> = {};
      for (const [n, v] of Object.entries(schema))
        rebuilt[n === oldName ? newName : n] = n === oldName ? cfg : v;
      if (!existing) rebuilt[newName] = cfg;
      for (const k of Object.keys(schema)) delete schema[k];
      Object.assign(schema, rebuilt);
      effects.push(() => this.#applyPropertyChange(rec, existing, cfg));
    }
    rec.ds.properties = schema;
    for (const effect of effects) effect();
    this.#touchDataSource(rec);
  }

  #forRows(rec: DataSourceRecord, fn: (props: Record<string, JsonObject>, page: PageRecord) => void): void {
    for (const id of rec.rows) {
      const page = this.pages.get(id);
      if (page) {
        fn(page.page.properties as Record<string, JsonObject>, page);
        this.#recordHistory(page);
      }
    }
  }

  #applyPropertyChange(rec: DataSourceRecord, before: JsonObject | undefined, after: JsonObject): void {
    const name = after.name as string;
    const type = after.type as string;
    if (
      type === 'relation' &&
      (after.relation as JsonObject).type === 'dual_property' &&
      !((after.relation as JsonObject).dual_property as JsonObject).synced_property_id
    ) {
      this.#createSyncedRelation(rec, after);
    }
    if (before && before.type === type) {
      const oldName = before.name as string;
      const optionIds =
        type === 'select' || type === 'multi_select' || type === 'status'
          ? new Set(((after[type] as JsonObject).options as JsonObject[]).map((o) => o.id))
          : undefined;
      this.#forRows(rec, (props) => {
        const v = props[oldName];
        if (oldName !== name) delete props[oldName];
        if (!v) return;
        let value = v[type];
        if (optionIds && Array.isArray(value)) value = value.filter((o: JsonObject) => optionIds.has(o.id));
        else if (optionIds && isObject(value) && !optionIds.has(value.id))
          value = type === 'status' ? defaultValue(after) : null;
        if (isObject(value) && optionIds) {
          const opt = ((after[type] as JsonObject).options as JsonObject[]).find(
            (o) => o.id === (value as JsonObject).id,
          );
          if (opt) value = { id: opt.id, name: opt.name, color: opt.color };
        }
        if (Array.isArray(value) && optionIds) {
          const opts = (after[type] as JsonObject).options as JsonObject[];
          value = value.map((o: JsonObject) => {
            const opt = opts.find((x) => x.id === o.id) as JsonObject;
            return { id: opt.id, name: opt.name, color: opt.color };
          });
        }
        props[name] = { id: after.id, type, [type]: value };
      });
      if (oldName !== name) this.#renameReferences(rec, before, name);
      return;
    }
    if (before) this.#forRows(rec, (props) => delete props[before.name as string]);
    const rows = rec.rows.map((id) => this.pages.get(id)).filter((p): p is PageRecord => !!p);
    if (type === 'unique_id') rec.nextUniqueId = 1;
    for (const page of rows) {
      (page.page.properties as Record<string, JsonObject>)[name] = this.#initialValue(after, page.page, rec);
      this.#recordHistory(page);
    }
  }

  /** Creates the synced property on the target of a new dual relation and links both. */
  #createSyncedRelation(rec: DataSourceRecord, prop: JsonObject): void {
    const cfg = prop.relation as JsonObject;
    const target = this.getDataSource(cfg.data_source_id as string);
    const requested = (cfg.dual_property as JsonObject).synced_property_name as string | undefined;
    const schema = this.schemaOf(target);
    let name = requested ?? `Related to ${plainText(rec.ds.title) || 'Untitled'} (${String(prop.name)})`;
    while (schema[name]) name = `${name} `;
    const synced = propertyConfig(
      name,
      { relation: { data_source_id: rec.ds.id, type: 'single_property', single_property: {} } },
      'body.properties',
      schema,
      this.#schemaResolver(),
    );
    synced.relation = {
      database_id: (rec.ds.parent as JsonObject).database_id,
      data_source_id: rec.ds.id,
      type: 'dual_property',
      dual_property: { synced_property_id: prop.id, synced_property_name: prop.name },
    };
    cfg.dual_property = { synced_property_id: synced.id, synced_property_name: name };
    schema[name] = synced;
    for (const id of target.rows) {
      const page = this.pages.get(id);
      if (page)
        (page.page.properties as Record<string, JsonObject>)[name] = {
          id: synced.id,
          type: 'relation',
          relation: [],
        };
    }
    if (target !== rec) this.#touchDataSource(target);
  }

  /** After a rename: fix `synced_property_name` of dual partners and rollup configs naming the property. */
  #renameReferences(rec: DataSourceRecord, before: JsonObject, newName: string): void {
    for (const ds of this.dataSources.values()) {
      for (const prop of Object.values(this.schemaOf(ds))) {
        const rel = prop.relation as JsonObject | undefined;
        const dual = rel?.dual_property as JsonObject | undefined;
        if (dual && rel?.data_source_id === rec.ds.id && dual.synced_property_id === before.id)
          dual.synced_property_name = newName;
        const roll = prop.rollup as JsonObject | undefined;
        if (roll && ds === rec && roll.relation_property_id === before.id)
          roll.relation_property_name = newName;
        if (roll && roll.rollup_property_id === before.id) roll.rollup_property_name = newName;
      }
    }
  }

  /** Counts for stats. */
  counts(): { pages: number; blocks: number; databases: number; dataSources: number; users: number } {
    return {
      pages: this.pages.size,
      blocks: this.blocks.size,
      databases: this.databases.size,
      dataSources: this.dataSources.size,
      users: this.users.size,
    };
  }
}

function isComputed(type: string): boolean {
  return (
    type === 'formula' ||
    type === 'rollup' ||
    type === 'unique_id' ||
    type === 'created_time' ||
    type === 'created_by' ||
    type === 'last_edited_time' ||
    type === 'last_edited_by'
  );
}

/** The 400 a caller gets for a database with several data sources where one is required. */
export function multipleDataSources(db: DatabaseRecord): NotionApiError {
  return new NotionApiError(
    400,
    'validation_error',
    `Databases with multiple data sources are not supported in this API version. Use a data source ID instead (database ${String(db.db.id)}).`,
    {
      error_type: 'multiple_data_sources_for_database',
      database_id: db.db.id,
      child_data_source_ids: [...db.dataSourceIds],
      minimum_api_version: '2025-09-03',
    },
  );
}

/** Notion's docs leave the colour of a native icon requested without one unsaid; the emulator answers `gray`. */
const DEFAULT_NOTICON_COLOR = 'gray';

/** A native Notion icon of a request (`icon: {name, color?}`) in its response form. */
function noticon(raw: unknown, path: string): JsonObject {
  if (!isObject(raw)) throw shouldBe(path, 'an object', raw);
  if (typeof raw.name !== 'string' || raw.name === '')
    throw shouldBe(`${path}.name`, 'a non-empty string', raw.name);
  const color = raw.color ?? DEFAULT_NOTICON_COLOR;
  if (typeof color !== 'string' || !NOTICON_COLORS.includes(color))
    throw shouldBe(`${path}.color`, NOTICON_COLORS.map((c) => `\`${c}\``).join(', '), raw.color);
  return { name: raw.name, color };
}

/**
 * Validates an icon (emoji, custom_emoji, native `icon`, external, file_upload) or cover (external,
 * file_upload) and returns its response form.
 */
export function fileIcon(raw: unknown, path: string, allowEmoji: boolean): JsonObject | null {
  if (raw === null) return null;
  if (!isObject(raw)) throw shouldBe(path, 'an object or `null`', raw);
  const type =
    (raw.type as string | undefined) ??
    (raw.emoji
      ? 'emoji'
      : raw.external
        ? 'external'
        : raw.file_upload
          ? 'file_upload'
          : raw.custom_emoji
            ? 'custom_emoji'
            : raw.icon
              ? 'icon'
              : undefined);
  if (type === 'emoji' && allowEmoji) {
    if (typeof raw.emoji !== 'string' || raw.emoji === '')
      throw shouldBe(`${path}.emoji`, 'an emoji', raw.emoji);
    return { type: 'emoji', emoji: raw.emoji };
  }
  if (type === 'custom_emoji' && allowEmoji && isObject(raw.custom_emoji))
    return { type: 'custom_emoji', custom_emoji: raw.custom_emoji };
  if (type === 'icon' && allowEmoji) return { type: 'icon', icon: noticon(raw.icon, `${path}.icon`) };
  if (type === 'external') {
    const ext = raw.external;
    if (!isObject(ext) || typeof ext.url !== 'string')
      throw shouldBe(`${path}.external.url`, 'a string', isObject(ext) ? ext.url : ext);
    return { type: 'external', external: { url: ext.url } };
  }
  if (type === 'file_upload') {
    const id = normalizeId(isObject(raw.file_upload) ? raw.file_upload.id : undefined);
    if (!id) throw shouldBe(`${path}.file_upload.id`, 'a valid uuid', raw.file_upload);
    return {
      type: 'file',
      file: {
        url: `https://prod-files-secure.s3.us-west-2.amazonaws.com/emulator/${id}`,
        expiry_time: '2099-01-01T00:00:00.000Z',
      },
    };
  }
  throw shouldBe(
    `${path}.type`,
    allowEmoji
      ? '`emoji`, `custom_emoji`, `icon`, `external` or `file_upload`'
      : '`external` or `file_upload`',
    raw.type,
  );
}

export { textRun };
