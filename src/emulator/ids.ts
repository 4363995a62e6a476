import { randomBytes, randomUUID } from 'node:crypto';
import { NotionApiError } from './notion-error.js';

const HEX32 = /^[0-9a-f]{32}$/;

/** A new Notion-style id: a lowercase dashed UUID. */
export function newId(): string {
  return randomUUID();
}

/** Accepts an id with or without dashes (any case) and returns it dashed and lowercase, or `undefined`. */
export function normalizeId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const hex = raw.replace(/-/g, '').toLowerCase();
  if (!HEX32.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Like `normalizeId`, but a malformed id is a 400 `validation_error` naming `path`, as Notion answers. */
export function requireId(raw: unknown, path: string): string {
  const id = normalizeId(raw);
  if (id === undefined) {
    throw new NotionApiError(
      400,
      'validation_error',
      `${path.startsWith('path.') ? 'path' : 'body'} failed validation: ${path} should be a valid uuid, instead was \`${JSON.stringify(raw)}\`.`,
    );
  }
  return id;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Escapes Notion's property ids often contain (`M%3BBw`). */
const ID_ESCAPES = ['%3A', '%3B', '%3C', '%3E', '%3F', '%40', '%5B', '%5D', '%7B', '%7D', '%5C', '%60'];

/**
 * A short opaque property id like Notion's (`M%3BBw`, `a%3Cp~`): four characters, about a third of
 * them with one percent-escape. The title property's id is always `"title"` and never comes from here.
 */
export function newPropertyId(taken: ReadonlySet<string>): string {
  for (;;) {
    const bytes = randomBytes(5);
    let id = '';
    for (let i = 0; i < 4; i++) id += ID_ALPHABET[(bytes[i] as number) % ID_ALPHABET.length];
    const b = bytes[4] as number;
    if (b % 3 === 0) {
      const at = 1 + (b % 3);
      id = id.slice(0, at) + (ID_ESCAPES[b % ID_ESCAPES.length] as string) + id.slice(at);
    }
    if (!taken.has(id) && !taken.has(safeDecode(id))) return id;
  }
}

/** A short option id (select, multi_select, status). */
export function newOptionId(): string {
  return randomBytes(3).toString('hex').slice(0, 4);
}

/** `decodeURIComponent` that returns its input when the input is not valid percent-encoding. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** ISO timestamp rounded down to the minute, as Notion reports `created_time`/`last_edited_time`. */
export function minuteIso(ms: number): string {
  return new Date(ms - (((ms % 60_000) + 60_000) % 60_000)).toISOString();
}

/** The `url` Notion gives a page or database: `https://www.notion.so/<title-slug>-<32 hex>`. */
export function notionUrl(id: string, title = ''): string {
  const slug = title
    .trim()
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  const hex = id.replace(/-/g, '');
  return `https://www.notion.so/${slug ? `${slug}-` : ''}${hex}`;
}
