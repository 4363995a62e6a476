import { PAGE_OBJECT_REFERENCE_LIMIT } from '../notion/limits.js';
import type { NotionVersion } from '../notion/limits.js';
import { isObject, type JsonObject } from './json.js';
import { plainText } from './rich-text.js';
import type { DataSourceRecord, DatabaseRecord } from './records.js';
import { findProperty } from './schema.js';
import { multipleDataSources, type Workspace } from './workspace.js';

/**
 * Turns stored objects into what a caller of a given Notion-Version receives (notion-api-facts.md §1, §4):
 * 2022-06-28 sees rows parented by `database_id` and databases that own `properties`; 2026-03-11 loses
 * the deprecated `archived`; page objects truncate relation and people values at 25 entries.
 */
export interface Renderer {
  page(page: JsonObject, filterProperties?: readonly string[]): JsonObject;
  block(id: string): JsonObject;
  database(rec: DatabaseRecord): JsonObject;
  dataSource(rec: DataSourceRecord): JsonObject;
}

function dropArchived(o: JsonObject, version: NotionVersion): JsonObject {
  if (version === '2026-03-11') delete o.archived;
  return o;
}

const renderers = new WeakMap<Workspace, Map<NotionVersion, Renderer>>();

/** The renderer of `ws` for one version (made once per workspace and version: every request needs one). */
export function renderer(ws: Workspace, version: NotionVersion): Renderer {
  let byVersion = renderers.get(ws);
  if (!byVersion) renderers.set(ws, (byVersion = new Map()));
  let r = byVersion.get(version);
  if (!r) {
    r = Object.freeze({
      page: (page, filterProperties) => renderPage(ws, page, version, filterProperties),
      block: (id) => renderBlock(ws, id, version),
      database: (rec) => renderDatabase(ws, rec, version),
      dataSource: (rec) => dropArchived({ ...rec.ds }, version),
    } satisfies Renderer);
    byVersion.set(version, r);
  }
  return r;
}

/** Truncates relation and people values at 25 entries, as page objects do (`has_more:true` on relations). */
function truncated(v: JsonObject): JsonObject {
  if (v.type === 'relation') {
    const list = v.relation as JsonObject[];
    if (list.length > PAGE_OBJECT_REFERENCE_LIMIT)
      return { ...v, relation: list.slice(0, PAGE_OBJECT_REFERENCE_LIMIT), has_more: true };
    return { ...v, has_more: false };
  }
  if (v.type === 'people') {
    const list = v.people as JsonObject[];
    if (list.length > PAGE_OBJECT_REFERENCE_LIMIT)
      return { ...v, people: list.slice(0, PAGE_OBJECT_REFERENCE_LIMIT) };
  }
  return v;
}

function renderPage(
  ws: Workspace,
  stored: JsonObject,
  version: NotionVersion,
  filterProperties?: readonly string[],
): JsonObject {
  const page = ws.materialize(stored);
  const props = page.properties as Record<string, JsonObject>;
  const out: Record<string, JsonObject> = {};
  let wanted: Set<JsonObject> | undefined;
  if (filterProperties && filterProperties.length) {
    wanted = new Set();
    for (const key of filterProperties) {
      const v = findProperty(props, key);
      if (v) wanted.add(v);
    }
  }
  for (const [name, v] of Object.entries(props)) {
    if (wanted && !wanted.has(v)) continue;
    out[name] = truncated(v);
  }
  const result: JsonObject = { ...page, properties: out };
  const parent = page.parent as JsonObject;
  if (version === '2022-06-28' && parent.type === 'data_source_id')
    result.parent = { type: 'database_id', database_id: parent.database_id };
  return dropArchived(result, version);
}

function renderBlock(ws: Workspace, id: string, version: NotionVersion): JsonObject {
  const rec = ws.blocks.get(id);
  let block: JsonObject;
  if (rec) {
    block = { ...rec.block };
  } else {
    const page = ws.pages.get(id);
    const db = ws.databases.get(id);
    const src = (page?.page ?? db?.db) as JsonObject;
    const parent = src.parent as JsonObject;
    block = {
      object: 'block',
      id,
      parent:
        parent.type === 'data_source_id' ? { type: 'database_id', database_id: parent.database_id } : parent,
      created_time: src.created_time,
      last_edited_time: src.last_edited_time,
      created_by: src.created_by,
      last_edited_by: src.last_edited_by,
      has_children: false,
      in_trash: src.in_trash,
      archived: src.in_trash,
      type: page ? 'child_page' : 'child_database',
      [page ? 'child_page' : 'child_database']: {
        title: page ? ws.pageTitle(page.page) : plainText(db?.db.title),
      },
    };
  }
  block.has_children = ws.visibleChildren(id).length > 0;
  if (version === '2026-03-11' && block.type === 'transcription') {
    block.type = 'meeting_notes';
    block.meeting_notes = block.transcription;
    delete block.transcription;
  }
  return dropArchived(block, version);
}

function renderDatabase(ws: Workspace, rec: DatabaseRecord, version: NotionVersion): JsonObject {
  const { created_by: _cb, last_edited_by: _lb, ...db } = rec.db;
  if (version !== '2022-06-28') {
    const data_sources = rec.dataSourceIds.map((id) => {
      const ds = ws.dataSources.get(id) as DataSourceRecord;
      return { id, name: plainText(ds.ds.title) };
    });
    return dropArchived({ ...db, data_sources }, version);
  }
  if (rec.dataSourceIds.length !== 1) throw multipleDataSources(rec);
  const ds = ws.dataSources.get(rec.dataSourceIds[0] as string) as DataSourceRecord;
  const properties: Record<string, JsonObject> = {};
  for (const [name, prop] of Object.entries(ds.ds.properties as Record<string, JsonObject>)) {
    const rel = prop.relation;
    properties[name] = isObject(rel) ? { ...prop, relation: { ...rel } } : prop;
  }
  return { ...rec.db, properties };
}
