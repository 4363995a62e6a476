/**
 * The schema as query results show it. Every row of a data source carries every property of its schema
 * (name → `{ id, type, … }`), so one row tells a property's id, name and type without a
 * `dataSources.retrieve`, and a row that disagrees with the stored schema says the schema changed.
 * @module
 */
import type { ViewPropertySchema } from '../store/view-columns.js';

/** The part of a page the comparison reads. */
type RowProperties = {
  readonly properties: Readonly<Record<string, { readonly id: string; readonly type: string }>>;
};

/** The id, name and type of each property, as `row` shows them. */
export function schemaOfRow(row: RowProperties): ViewPropertySchema {
  const out: Record<string, { id: string; name: string; type: string }> = {};
  for (const [name, value] of Object.entries(row.properties))
    out[name] = { id: value.id, name, type: value.type };
  return out;
}

/**
 * True when every row has exactly the properties of `schema` (property name → `{ id, name, type }`), with
 * the same ids and types. `schema` may be anything stored earlier: a malformed value never matches.
 */
export function rowsMatchSchema(rows: readonly RowProperties[], schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const expected = schema as Readonly<Record<string, unknown>>;
  const size = Object.keys(expected).length;
  for (const row of rows) {
    const names = Object.keys(row.properties);
    if (names.length !== size) return false;
    for (const name of names) {
      const want = (Object.hasOwn(expected, name) ? expected[name] : undefined) as
        { id?: unknown; type?: unknown } | null | undefined;
      const got = row.properties[name];
      if (want === null || typeof want !== 'object' || got === undefined) return false;
      if (want.id !== got.id || want.type !== got.type) return false;
    }
  }
  return true;
}
