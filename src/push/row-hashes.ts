import { createHash } from 'node:crypto';
import { canonicalJson } from '../notion/properties/comparable-value.js';
import type { WorkerUpsertChange } from '../workers/sync-driver.js';

/** Property name (or `@icon`, `@cover`) → short hash of the value last written. */
export type RowHashes = Readonly<Record<string, string>>;

/** Changes when the hashed form changes, so hashes stored by another version are recognised (and rewritten). */
const ROW_HASH_VERSION = 1;
/** Pseudo-property names of the page icon and cover in {@link RowHashes}. */
export const ICON_HASH_KEY = '@icon';
export const COVER_HASH_KEY = '@cover';

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/**
 * Per-property hashes of an upsert, computed from the worker's own values (the SDK tokens, not the Notion write
 * values): a relation hashes its primary keys, not the page ids they resolve to, so a row whose links were
 * written partly (targets missing) hashes the same as once they resolve; the relation backlog completes them.
 */
export function upsertHashes(change: Pick<WorkerUpsertChange, 'properties' | 'icon' | 'cover'>): RowHashes {
  const hashes: Record<string, string> = {};
  for (const [name, value] of Object.entries(change.properties)) {
    if (value !== undefined) hashes[name] = shortHash(canonicalJson(value));
  }
  if (change.icon !== undefined) hashes[ICON_HASH_KEY] = shortHash(canonicalJson(change.icon));
  if (change.cover !== undefined) hashes[COVER_HASH_KEY] = shortHash(canonicalJson(change.cover));
  return hashes;
}

/** The key map's `content_hash` form of row hashes. */
export function encodeRowHashes(hashes: RowHashes): string {
  return canonicalJson({ v: ROW_HASH_VERSION, p: hashes });
}

/** Row hashes from the key map's `content_hash`; empty (everything changed) when absent or of another version. */
export function decodeRowHashes(encoded: string | null): RowHashes {
  if (encoded === null) return {};
  try {
    const parsed = JSON.parse(encoded) as { v?: unknown; p?: unknown };
    if (parsed.v !== ROW_HASH_VERSION || typeof parsed.p !== 'object' || parsed.p === null) return {};
    return parsed.p as RowHashes;
  } catch {
    return {};
  }
}

/** Hash of a page body's markdown, for the key map's `body_hash`. */
export function bodyHashOf(markdown: string): string {
  return createHash('sha256').update(markdown, 'utf8').digest('hex');
}
