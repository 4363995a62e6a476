import type { DataSourceObjectResponse } from '@notionhq/client';

/** A data source's property schema, as in `DataSourceObjectResponse.properties`: name → `{id, name, type, …config}`. */
export type DataSourceSchema = DataSourceObjectResponse['properties'];

/** One property's schema entry. */
export type PropertySchema = DataSourceSchema[string];

/** What a filter needs besides the page: the data source's schema and the current time. */
export interface QueryContext {
  /** Property schema of the data source being queried. */
  schema: DataSourceSchema;
  /** Current time in ms since the Unix epoch; relative dates (`today`, `past_week`) resolve against it. */
  now: number;
}

/** A JSON object read without a type: every filter, sort and property value is walked through this. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeDecode(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/**
 * Finds a property by name, then by id, matching ids both raw and percent-decoded (Notion's ids may hold
 * escapes such as `M%3BBw`; clients send either form). Returns undefined when nothing matches.
 */
export function findProperty(schema: DataSourceSchema, nameOrId: string): PropertySchema | undefined {
  const byName = Object.hasOwn(schema, nameOrId) ? schema[nameOrId] : undefined;
  if (byName !== undefined) return byName;
  const decoded = safeDecode(nameOrId);
  for (const property of Object.values(schema)) {
    if (property.id === nameOrId || property.id === decoded || safeDecode(property.id) === decoded)
      return property;
  }
  return undefined;
}

/** Lower-case hex without dashes: the form in which two Notion ids are compared. */
export function normalizeNotionId(id: string): string {
  return id.replaceAll('-', '').toLowerCase();
}
