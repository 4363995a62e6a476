/**
 * Stable content hashes of page properties and page bodies, for "did this page change?" (DESIGN
 * invariant 5: delta re-reads drop unchanged pages by hash) and the key map's last written hash.
 * @module
 */
import { createHash } from 'node:crypto';
import type { PageObjectResponse } from '@notionhq/client/build/src/api-endpoints.js';
import { isRecord } from './codec-helpers.js';
import { readProperty } from './codec-registry.js';
import { canonicalJson, comparableRichText, comparableValue } from './comparable-value.js';
import type { PropertyValueResponse } from './property-codec.js';

/** Changes whenever the hashed form changes, so stored hashes from another version are recognised. */
export const CONTENT_HASH_VERSION = 1;

/** Options of {@link contentHash}. */
export interface ContentHashOptions {
  /**
   * Hash formula results of type date. They are left out by default because formulas such as `now()` or
   * `dateAdd(now(), …)` change with the clock, not with the page; a date formula built only on the page's
   * own properties changes when those properties do, which the hash already sees.
   * @default false
   */
  readonly includeFormulaDates?: boolean;
}

/** Property types whose values change without the page's content changing. */
const VOLATILE_TYPES: ReadonlySet<string> = new Set(['last_edited_time', 'last_edited_by']);

function isHashed(value: PropertyValueResponse, options: ContentHashOptions): boolean {
  if (VOLATILE_TYPES.has(value.type)) return false;
  if (value.type === 'formula' && value.formula.type === 'date') return options.includeFormulaDates === true;
  return true;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A SHA-256 (64 hex characters) of a page's properties that is the same for the same content and differs
 * for any real change. It ignores:
 * - property order and key order (canonical JSON), property ids;
 * - `last_edited_time` and `last_edited_by` properties;
 * - the signed URL and expiry of Notion-hosted files (the file's name and type are hashed);
 * - how rich text is split into items, `plain_text`/`href` duplicates, mention display text, annotation
 *   flags at their default, emails present in some people responses;
 * - formula results of type date, unless `includeFormulaDates` (see {@link ContentHashOptions}).
 *
 * Each property is hashed with its name and type, so renaming a property or changing its type changes the
 * hash. Relations and people must be complete (`completeTruncatedProperties`) or the hash covers only the
 * first 25.
 */
export function contentHash(
  properties: PageObjectResponse['properties'],
  options: ContentHashOptions = {},
): string {
  const hashed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (!isHashed(value, options)) continue;
    hashed[name] = { type: value.type, value: comparableValue(readProperty(value)) };
  }
  return sha256(canonicalJson({ v: CONTENT_HASH_VERSION, properties: hashed }));
}

/** Keys of block JSON that change without the content changing. */
const VOLATILE_BLOCK_KEYS: ReadonlySet<string> = new Set([
  'last_edited_time',
  'last_edited_by',
  'expiry_time',
  'request_id',
]);

function isRichTextItem(value: unknown): boolean {
  return (
    isRecord(value) && 'plain_text' in value && 'annotations' in value && typeof value['type'] === 'string'
  );
}

function comparableBlockJson(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isRichTextItem)) return comparableRichText(value);
    return value.map(comparableBlockJson);
  }
  if (!isRecord(value)) return value;
  // A Notion-hosted file ({url, expiry_time}): the signed URL rotates, so only its presence is hashed.
  const signed = typeof value['url'] === 'string' && typeof value['expiry_time'] === 'string';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (VOLATILE_BLOCK_KEYS.has(k) || (signed && k === 'url')) continue;
    out[k] = comparableBlockJson(v);
  }
  return out;
}

/**
 * A SHA-256 of a page body: either markdown (line endings normalised to `\n`, trailing whitespace at the
 * end ignored) or block JSON (block objects as the API returns them, with volatile keys —
 * `last_edited_*`, signed file URLs and their `expiry_time` — left out and rich text compared as in
 * {@link contentHash}).
 */
export function hashBody(body: string | readonly unknown[]): string {
  if (typeof body === 'string') return sha256(`md:${body.replace(/\r\n?/g, '\n').trimEnd()}`);
  return sha256(`blocks:${canonicalJson(comparableBlockJson(body))}`);
}
