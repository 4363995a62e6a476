/**
 * Planning of the typed view of a data source: which SQL column each property becomes, and how its value
 * is read from `pages.properties`. Pure functions, no SQL execution.
 *
 * The plain-value layout `pages.properties` holds (written by the property codecs) is a JSON object
 * property name → plain value:
 * - title, rich_text → `{ text, richText }` (the codecs' lossless form; the view shows `text`)
 * - url, email, phone_number, select, status → string
 * - number → number; checkbox → boolean
 * - date → `{ start, end, time_zone }`
 * - multi_select, relation, people, files → array
 * - anything else (formula, rollup, unique_id, created_*, last_edited_*, …) → any JSON value
 *
 * `viewColumnKind` is the one place that maps a property type to a column kind: adapt it if a codec changes
 * its plain value.
 *
 * @module
 */
import type { StoreDialect } from './store-dialect.js';

/** The minimal shape of a data source's schema the view needs; `DataSourceObjectResponse['properties']` fits. */
export type ViewPropertySchema = Readonly<
  Record<string, { readonly id: string; readonly name: string; readonly type: string }>
>;

/** How a property appears in the view. */
export type ViewColumnKind = 'text' | 'rich_text' | 'number' | 'boolean' | 'date' | 'json';

/** One property's column(s) in the view. */
export interface ViewColumn {
  propertyId: string;
  propertyName: string;
  propertyType: string;
  kind: ViewColumnKind;
  /** The base column name (stable across renames through the column map). */
  baseName: string;
  /** The view's column names: `[base]`, or `[base_start, base_end]` for dates. */
  columns: string[];
}

/** Columns every typed view has before the property columns. */
export const VIEW_METADATA_COLUMNS: readonly string[] = [
  'page_id',
  'title',
  'page_created_time',
  'page_last_edited_time',
];

/** The one mapping from a Notion property type to the kind of its view column. */
export function viewColumnKind(propertyType: string): ViewColumnKind {
  switch (propertyType) {
    case 'title':
    case 'rich_text':
      return 'rich_text';
    case 'url':
    case 'email':
    case 'phone_number':
    case 'select':
    case 'status':
    case 'created_time':
    case 'last_edited_time':
      return 'text';
    case 'number':
      return 'number';
    case 'checkbox':
      return 'boolean';
    case 'date':
      return 'date';
    default:
      return 'json';
  }
}

/** Words that would need quoting as identifiers in SQLite or PostgreSQL: a column never takes one. */
const SQL_KEYWORDS = new Set(
  (
    'abort action add after all alter analyze and any array as asc attach autoincrement before begin between ' +
    'both by cascade case cast check collate column commit conflict constraint create cross current ' +
    'current_date current_time current_timestamp current_user database default deferrable deferred delete ' +
    'desc detach distinct do drop each else end escape except exclusive exists explain fail false fetch ' +
    'filter for foreign from full glob grant group having if ignore immediate in index initially inner ' +
    'insert instead intersect into is isnull join key lateral leading left like limit match natural no not ' +
    'notnull null of offset on only or order outer over partition plan pragma primary query raise range ' +
    'recursive references regexp reindex release rename replace restrict returning right rollback row rows ' +
    'savepoint select session_user set some symmetric table temp temporary then to trailing transaction ' +
    'trigger true union unique update user using vacuum values variadic view virtual when where window with ' +
    'without'
  ).split(' '),
);

/**
 * A SQL-friendly name: lower snake_case ASCII (accents removed), never empty, never starting with a digit,
 * never a SQL keyword (gets a trailing `_`; pass `keywordSafe: false` for a base that always gets a suffix),
 * at most `maxLength` characters.
 */
export function toSqlName(name: string, maxLength = 63, options: { keywordSafe?: boolean } = {}): string {
  let out = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (out === '') out = 'property';
  if (/^[0-9]/.test(out)) out = `p_${out}`;
  out = out.slice(0, maxLength).replace(/_+$/, '');
  if ((options.keywordSafe ?? true) && SQL_KEYWORDS.has(out)) out = `${out.slice(0, maxLength - 1)}_`;
  return out;
}

/** Picks `base`, or `base_2`, `base_3`, … — the first not in `taken` (and reserves it). */
export function uniqueName(
  base: string,
  taken: Set<string>,
  maxLength = 63,
  suffixes: readonly string[] = [''],
): string {
  for (let n = 1; ; n++) {
    const tail = n === 1 ? '' : `_${n}`;
    const candidate = `${base.slice(0, maxLength - tail.length - longest(suffixes))}${tail}`;
    if (suffixes.every((s) => !taken.has(`${candidate}${s}`))) {
      for (const s of suffixes) taken.add(`${candidate}${s}`);
      return candidate;
    }
  }
}

function longest(values: readonly string[]): number {
  return Math.max(0, ...values.map((v) => v.length));
}

const DATE_SUFFIXES = ['_start', '_end'] as const;

/**
 * Plans the view's property columns. Properties already in `columnMap` (property id → base column name)
 * keep their names when still free, so renaming a property in Notion does not rename its column; new
 * properties get `toSqlName(name)`, deduplicated. A title property whose name is "title" is served by the
 * metadata column `title`. Returns the columns (title first, then by name) and the updated column map.
 */
export function planViewColumns(
  properties: ViewPropertySchema,
  columnMap: Readonly<Record<string, string>> = {},
  maxLength = 63,
): { columns: ViewColumn[]; columnMap: Record<string, string> } {
  const taken = new Set(VIEW_METADATA_COLUMNS);
  const sorted = Object.values(properties).sort((a, b) =>
    a.type === 'title' ? -1 : b.type === 'title' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const bases = new Map<string, string>();
  const included = sorted.filter((p) => !(p.type === 'title' && toSqlName(p.name, maxLength) === 'title'));
  // Names already mapped are claimed first, so a new property never takes an existing column's name.
  for (const pass of [true, false]) {
    for (const p of included) {
      const previous = columnMap[p.id];
      if ((previous !== undefined) !== pass) continue;
      const isDate = viewColumnKind(p.type) === 'date';
      // A date's columns are `<base>_start`/`<base>_end`, never a keyword, so its base may be one.
      const base = previous ?? toSqlName(p.name, maxLength, { keywordSafe: !isDate });
      bases.set(p.id, uniqueName(base, taken, maxLength, isDate ? DATE_SUFFIXES : ['']));
    }
  }
  const columns = included.map((p): ViewColumn => {
    const kind = viewColumnKind(p.type);
    const baseName = bases.get(p.id) as string;
    return {
      propertyId: p.id,
      propertyName: p.name,
      propertyType: p.type,
      kind,
      baseName,
      columns: kind === 'date' ? DATE_SUFFIXES.map((s) => `${baseName}${s}`) : [baseName],
    };
  });
  return { columns, columnMap: Object.fromEntries(columns.map((c) => [c.propertyId, c.baseName])) };
}

/** `'text'` as a SQL string literal. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `name` as a quoted SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The SQL expressions reading one column's value(s) from `<alias>.properties`, one per view column, in the
 * order of `column.columns`.
 */
export function viewColumnExpressions(column: ViewColumn, dialect: StoreDialect, alias = 'p'): string[] {
  const source = `${alias}.properties`;
  if (dialect.jsonAccess === 'sqlite-json1') {
    // A JSON path member in double quotes: `"` and `\` escaped for the path, then quoted as a SQL literal.
    const member = `$."${column.propertyName.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    if (column.kind === 'date') {
      return ['start', 'end'].map((f) => `json_extract(${source}, ${sqlLiteral(`${member}.${f}`)})`);
    }
    if (column.kind === 'rich_text') return [`json_extract(${source}, ${sqlLiteral(`${member}.text`)})`];
    // json_extract returns strings as text, numbers as numbers, booleans as 1/0, arrays/objects as JSON text.
    return [`json_extract(${source}, ${sqlLiteral(member)})`];
  }
  const key = sqlLiteral(column.propertyName);
  switch (column.kind) {
    case 'text':
    case 'json':
      return [`(${source} ->> ${key})`];
    case 'number':
      return [`(${source} ->> ${key})::double precision`];
    case 'boolean':
      return [`(${source} ->> ${key})::boolean`];
    case 'rich_text':
      return [`(${source} -> ${key} ->> 'text')`];
    case 'date':
      return ['start', 'end'].map((f) => `(${source} -> ${key} ->> ${sqlLiteral(f)})`);
  }
}
