import type { StoreDialect } from './store-dialect.js';

/** Serialises a value for a JSON column. */
export function writeJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Serialises a value for a nullable JSON column (`undefined`/`null` → SQL NULL). */
export function writeNullableJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Reads a JSON column: parses text (SQLite), passes through what `pg` already parsed (PostgreSQL). */
export function readJson(dialect: StoreDialect, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (dialect.jsonValuesParsed || typeof value !== 'string') return value;
  return JSON.parse(value);
}
