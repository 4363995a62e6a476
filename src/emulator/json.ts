/** A parsed JSON object. The emulator stores and renders Notion objects in this loose form. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy of a JSON value (objects the emulator stores are never shared with callers). */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
