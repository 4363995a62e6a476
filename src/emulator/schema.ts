import { KNOWN_PROPERTY_TYPES } from '../notion/properties/codec-registry.js';
import { newOptionId, newPropertyId, normalizeId } from './ids.js';
import { isObject, type JsonObject } from './json.js';
import { shouldBe, validationError } from './notion-error.js';
import { SELECT_COLORS } from './rich-text.js';

/**
 * Property types a data source schema may hold, as the emulator models them: every type a page can carry (the
 * codec registry's list, one source of truth) plus the schema-only types Notion accepts in a property
 * configuration [SDK: common.d.ts `PropertyConfigurationRequest`].
 */
export const PROPERTY_TYPES: ReadonlySet<string> = new Set([
  ...KNOWN_PROPERTY_TYPES,
  'location',
  'last_visited_time',
]);

/** Types Notion computes: refused on page writes [SDK: pages.d.ts vs common.d.ts; notion-api-facts.md §7]. */
export const READ_ONLY_TYPES: ReadonlySet<string> = new Set([
  'formula',
  'rollup',
  'created_time',
  'created_by',
  'last_edited_time',
  'last_edited_by',
  'unique_id',
  'button',
  'last_visited_time',
]);

/** The property type a schema request names: its `type`, else its single known type key. */
export function configTypeOf(raw: JsonObject): string | undefined {
  if (typeof raw.type === 'string') return raw.type;
  return Object.keys(raw).find((k) => PROPERTY_TYPES.has(k));
}

/** Looks a property up in a schema by name, raw id or percent-decoded id. */
export function findProperty(schema: Record<string, JsonObject>, key: string): JsonObject | undefined {
  const byName = schema[key];
  if (byName) return byName;
  let decoded = key;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    /* keep raw */
  }
  for (const prop of Object.values(schema)) {
    const id = prop.id as string;
    if (id === key || id === decoded) return prop;
    try {
      if (decodeURIComponent(id) === decoded) return prop;
    } catch {
      /* ignore */
    }
  }
  return undefined;
}

/** Normalizes an options array of select/multi_select/status against existing options (ids kept by id or name). */
export function options(
  raw: unknown,
  path: string,
  existing: JsonObject[],
  forbidCommas: boolean,
): JsonObject[] {
  if (raw === undefined) return existing;
  if (!Array.isArray(raw)) throw shouldBe(path, 'an array', raw);
  const seen = new Set<string>();
  return raw.map((o: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(o)) throw shouldBe(p, 'an object', o);
    const prior = existing.find(
      (e) => (o.id !== undefined && e.id === o.id) || (o.name !== undefined && e.name === o.name),
    );
    const name = (o.name as string | undefined) ?? (prior?.name as string | undefined);
    if (typeof name !== 'string' || name === '') throw shouldBe(`${p}.name`, 'a non-empty string', o.name);
    if (forbidCommas && name.includes(',')) throw commaError(`${p}.name`, name);
    if (seen.has(name)) throw validationError(`Duplicate option name "${name}" in ${p}.`);
    seen.add(name);
    const c = o.color ?? prior?.color ?? 'default';
    if (typeof c !== 'string' || !SELECT_COLORS.has(c))
      throw shouldBe(`${p}.color`, 'a valid select color', o.color);
    return {
      id: (prior?.id as string | undefined) ?? newOptionId(),
      name,
      color: c,
      description:
        (o.description as string | undefined) ?? (prior?.description as string | null | undefined) ?? null,
    };
  });
}

/** Notion refuses commas in select option names. */
export function commaError(path: string, name: string): Error {
  return validationError(
    `body failed validation: ${path} should not contain commas, instead was \`${JSON.stringify(name)}\`.`,
  );
}

/** The default options and groups Notion gives a new status property. */
export function defaultStatus(): JsonObject {
  const notStarted = { id: newOptionId(), name: 'Not started', color: 'default', description: null };
  const inProgress = { id: newOptionId(), name: 'In progress', color: 'blue', description: null };
  const done = { id: newOptionId(), name: 'Done', color: 'green', description: null };
  return {
    options: [notStarted, inProgress, done],
    groups: [
      { id: newOptionId(), name: 'To-do', color: 'gray', option_ids: [notStarted.id] },
      { id: newOptionId(), name: 'In progress', color: 'blue', option_ids: [inProgress.id] },
      { id: newOptionId(), name: 'Complete', color: 'green', option_ids: [done.id] },
    ],
  };
}

/** Resolves what a relation or rollup config refers to; implemented by the workspace. */
export interface SchemaResolver {
  /** The data source a relation points at: by `data_source_id`, or by a single-source `database_id`. */
  relationTarget(raw: JsonObject, path: string): { dataSourceId: string; databaseId: string };
  /** The target data source's schema (for rollups). */
  schemaOf(dataSourceId: string): Record<string, JsonObject>;
}

/**
 * Turns one property config of a schema request (`{ "select": { "options": [...] } }`) into Notion's
 * response form `{id, name, description, type, <type>: config}`. `existing` is the current property
 * when the request changes one. Dual relations return their config with an empty `dual_property`:
 * the workspace creates the synced property and fills it in.
 */
export function propertyConfig(
  name: string,
  raw: JsonObject,
  path: string,
  schema: Record<string, JsonObject>,
  resolver: SchemaResolver,
  existing?: JsonObject,
): JsonObject {
  const type = configTypeOf(raw) ?? (existing?.type as string | undefined);
  if (type === undefined || !PROPERTY_TYPES.has(type))
    throw shouldBe(`${path}.type`, 'a property type', raw.type ?? Object.keys(raw)[0]);
  const body = raw[type];
  if (body !== undefined && !isObject(body)) throw shouldBe(`${path}.${type}`, 'an object', body);
  const cfg: JsonObject = body ?? {};
  const prev = existing && existing.type === type ? (existing[type] as JsonObject) : undefined;
  const taken = new Set(Object.values(schema).map((p) => p.id as string));
  const id = existing ? (existing.id as string) : type === 'title' ? 'title' : newPropertyId(taken);
  const description = raw.description !== undefined ? raw.description : (existing?.description ?? null);
  let config: JsonObject;
  switch (type) {
    case 'number':
      config = {
        format: (cfg.format as string | undefined) ?? (prev?.format as string | undefined) ?? 'number',
      };
      break;
    case 'select':
    case 'multi_select':
      config = {
        options: options(
          cfg.options,
          `${path}.${type}.options`,
          (prev?.options as JsonObject[] | undefined) ?? [],
          true,
        ),
      };
      break;
    case 'status': {
      const base = prev ?? defaultStatus();
      const opts = options(cfg.options, `${path}.status.options`, base.options as JsonObject[], false);
      const ids = new Set(opts.map((o) => o.id));
      const groups = (base.groups as JsonObject[]).map((g) => ({
        ...g,
        option_ids: (g.option_ids as string[]).filter((o) => ids.has(o)),
      }));
      const grouped = new Set(groups.flatMap((g) => g.option_ids));
      const first = groups[0];
      if (first)
        for (const o of opts) if (!grouped.has(o.id as string)) first.option_ids.push(o.id as string);
      config = { options: opts, groups };
      break;
    }
    case 'formula':
      if (typeof cfg.expression !== 'string' && typeof prev?.expression !== 'string')
        throw shouldBe(`${path}.formula.expression`, 'a string', cfg.expression);
      config = { expression: (cfg.expression as string | undefined) ?? (prev?.expression as string) };
      break;
    case 'relation': {
      const target =
        prev && cfg.data_source_id === undefined && cfg.database_id === undefined
          ? { dataSourceId: prev.data_source_id as string, databaseId: prev.database_id as string }
          : resolver.relationTarget(cfg, `${path}.relation`);
      const kind =
        (cfg.type as string | undefined) ??
        (cfg.dual_property ? 'dual_property' : ((prev?.type as string | undefined) ?? 'single_property'));
      if (kind !== 'single_property' && kind !== 'dual_property')
        throw shouldBe(`${path}.relation.type`, '`single_property` or `dual_property`', kind);
      config = {
        database_id: target.databaseId,
        data_source_id: target.dataSourceId,
        type: kind,
        [kind]: kind === 'dual_property' ? ((prev?.dual_property as JsonObject | undefined) ?? {}) : {},
      };
      break;
    }
    case 'rollup':
      config = rollupConfig(cfg, `${path}.rollup`, schema, resolver, prev);
      break;
    case 'unique_id':
      config = {
        prefix:
          (cfg.prefix as string | null | undefined) ?? (prev?.prefix as string | null | undefined) ?? null,
      };
      break;
    default:
      config = {};
  }
  return { id, name, description, type, [type]: config };
}

const ROLLUP_FUNCTIONS = new Set([
  'count',
  'count_values',
  'empty',
  'not_empty',
  'unique',
  'show_unique',
  'percent_empty',
  'percent_not_empty',
  'sum',
  'average',
  'median',
  'min',
  'max',
  'range',
  'earliest_date',
  'latest_date',
  'date_range',
  'checked',
  'unchecked',
  'percent_checked',
  'percent_unchecked',
  'count_per_group',
  'percent_per_group',
  'show_original',
]);

function rollupConfig(
  cfg: JsonObject,
  path: string,
  schema: Record<string, JsonObject>,
  resolver: SchemaResolver,
  prev?: JsonObject,
): JsonObject {
  const relKey = (cfg.relation_property_id ?? cfg.relation_property_name ?? prev?.relation_property_id) as
    string | undefined;
  const rel = relKey === undefined ? undefined : findProperty(schema, relKey);
  if (!rel || rel.type !== 'relation')
    throw shouldBe(`${path}.relation_property_name`, 'the name or id of a relation property', relKey);
  const target = (rel.relation as JsonObject).data_source_id as string;
  const targetSchema = resolver.schemaOf(target);
  const rollKey = (cfg.rollup_property_id ?? cfg.rollup_property_name ?? prev?.rollup_property_id) as
    string | undefined;
  const rolled = rollKey === undefined ? undefined : findProperty(targetSchema, rollKey);
  if (!rolled)
    throw shouldBe(
      `${path}.rollup_property_name`,
      'the name or id of a property of the related data source',
      rollKey,
    );
  const fn = (cfg.function ?? prev?.function ?? 'show_original') as string;
  if (!ROLLUP_FUNCTIONS.has(fn)) throw shouldBe(`${path}.function`, 'a rollup function', fn);
  return {
    relation_property_name: rel.name,
    relation_property_id: rel.id,
    rollup_property_name: rolled.name,
    rollup_property_id: rolled.id,
    function: fn,
  };
}

/** Validates a relation config's target id fields (used by the workspace's resolver). */
export function relationIds(cfg: JsonObject, path: string): { dataSourceId?: string; databaseId?: string } {
  const ds = cfg.data_source_id === undefined ? undefined : normalizeId(cfg.data_source_id);
  if (cfg.data_source_id !== undefined && !ds)
    throw shouldBe(`${path}.data_source_id`, 'a valid uuid', cfg.data_source_id);
  const db = cfg.database_id === undefined ? undefined : normalizeId(cfg.database_id);
  if (cfg.database_id !== undefined && !db)
    throw shouldBe(`${path}.database_id`, 'a valid uuid', cfg.database_id);
  if (!ds && !db) throw shouldBe(`${path}.data_source_id`, 'a valid uuid', undefined);
  return { ...(ds ? { dataSourceId: ds } : {}), ...(db ? { databaseId: db } : {}) };
}
