/**
 * Schema changes of a data source between two runs, tracked by property id (a rename keeps the id).
 * @module
 */

/** The part of a property config the diff reads. */
type PropertyConfig = { readonly id: string; readonly name: string; readonly type: string };

/** What changed in a data source's schema. */
export interface SchemaDiff {
  /** Names of new properties. */
  readonly added: readonly string[];
  /** Renamed properties, by id. */
  readonly renamed: readonly { readonly id: string; readonly from: string; readonly to: string }[];
  /** Names of properties that are gone. */
  readonly removed: readonly string[];
  /** Properties whose type changed (by their new name). */
  readonly retyped: readonly { readonly name: string; readonly from: string; readonly to: string }[];
}

/**
 * Compares two schemas (property name → config) by property id. `before` may be anything stored earlier
 * (`undefined` or a malformed value compares as empty).
 */
export function diffSchema(before: unknown, after: Readonly<Record<string, PropertyConfig>>): SchemaDiff {
  const old = new Map(configs(before).map((p) => [p.id, p]));
  const now = new Map(Object.values(after).map((p) => [p.id, p]));
  const added: string[] = [];
  const renamed: { id: string; from: string; to: string }[] = [];
  const retyped: { name: string; from: string; to: string }[] = [];
  for (const [id, p] of now) {
    const previous = old.get(id);
    if (previous === undefined) {
      added.push(p.name);
      continue;
    }
    if (previous.name !== p.name) renamed.push({ id, from: previous.name, to: p.name });
    if (previous.type !== p.type) retyped.push({ name: p.name, from: previous.type, to: p.type });
  }
  const removed = [...old.values()].filter((p) => !now.has(p.id)).map((p) => p.name);
  return { added: added.sort(), renamed, removed: removed.sort(), retyped };
}

/** True when stored rows no longer match the schema: their property names or value types are stale. */
export function rowsNeedRescan(diff: SchemaDiff): boolean {
  return diff.renamed.length > 0 || diff.removed.length > 0 || diff.retyped.length > 0;
}

/** True when anything changed. */
export function schemaChanged(diff: SchemaDiff): boolean {
  return diff.added.length > 0 || rowsNeedRescan(diff);
}

function configs(schema: unknown): PropertyConfig[] {
  if (schema === null || typeof schema !== 'object') return [];
  return Object.values(schema as Record<string, unknown>).filter(
    (p): p is PropertyConfig =>
      p !== null &&
      typeof p === 'object' &&
      typeof (p as PropertyConfig).id === 'string' &&
      typeof (p as PropertyConfig).name === 'string' &&
      typeof (p as PropertyConfig).type === 'string',
  );
}
