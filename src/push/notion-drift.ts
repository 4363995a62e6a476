/**
 * What Notion holds now against what a sync would write: the properties whose current value in a page differs
 * from the value a change carries. `sync trigger --preview` uses it to check its key map–based plan against
 * fresh reads (rows edited or trashed in Notion since notion-sync wrote them, keys present but never mapped).
 *
 * Values compare by content: text by its plain text (formatting and links are not compared), options by name,
 * people and relations by id (in any order), dates by instant, files by name and external URL. A property of a
 * type not listed here is never reported as differing.
 */
import type { PageObjectResponse } from '@notionhq/client';
import { canonicalJson } from '../notion/properties/comparable-value.js';
import type { NotionPropertyWriteValue } from '../workers/token-values.js';

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isJson) : [];
}

function plainText(items: unknown): string {
  return list(items)
    .map((i) => {
      if (typeof i.plain_text === 'string') return i.plain_text;
      const text = i.text;
      return isJson(text) && typeof text.content === 'string' ? text.content : '';
    })
    .join('');
}

function sortedIds(items: unknown): string[] {
  return list(items)
    .map((i) =>
      String(i.id ?? '')
        .replace(/-/g, '')
        .toLowerCase(),
    )
    .sort();
}

function instant(value: unknown): unknown {
  if (typeof value !== 'string') return null;
  // A date without a time compares as written; a date-time by the instant it names.
  return value.includes('T') ? Date.parse(value) : value;
}

/**
 * The comparable form of one property value of `type` (its `[type]` member, in a write body or in a page), or
 * `undefined` for a type not compared.
 */
function comparable(type: string, value: unknown): unknown {
  switch (type) {
    case 'title':
    case 'rich_text':
      return plainText(value);
    case 'url':
    case 'email':
    case 'phone_number':
      return typeof value === 'string' && value !== '' ? value : null;
    case 'checkbox':
      return value === true;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'select':
    case 'status':
      return isJson(value) && typeof value.name === 'string' ? value.name : null;
    case 'multi_select':
      return list(value)
        .map((o) => String(o.name ?? ''))
        .sort();
    case 'people':
    case 'relation':
      return sortedIds(value);
    case 'date':
      return isJson(value)
        ? { start: instant(value.start), end: instant(value.end), time_zone: value.time_zone ?? null }
        : null;
    case 'files':
      return list(value).map((f) => ({
        name: f.name ?? null,
        url: isJson(f.external) ? (f.external.url ?? null) : null,
      }));
    case 'place':
      return isJson(value)
        ? {
            lat: value.lat ?? null,
            lon: value.lon ?? null,
            name: value.name ?? null,
            address: value.address ?? null,
          }
        : null;
    default:
      return undefined;
  }
}

/** The type and value of a write body's property (`{ rich_text: [...] }`). */
function writtenTypeOf(write: NotionPropertyWriteValue): [string, unknown] | undefined {
  const entry = Object.entries(write as Json).find(([k]) => k !== 'type');
  return entry === undefined ? undefined : [entry[0], entry[1]];
}

/**
 * The names of the properties, among `writes`, whose value in `page` differs from the one written, sorted. A
 * property missing from the page differs; `skip` names properties not to compare (relations still waiting for
 * their targets, whose written value is partial).
 */
export function propertiesDifferingInNotion(
  writes: Readonly<Record<string, NotionPropertyWriteValue>>,
  page: Pick<PageObjectResponse, 'properties'>,
  skip: ReadonlySet<string> = new Set(),
): string[] {
  const differing: string[] = [];
  for (const [name, write] of Object.entries(writes)) {
    if (skip.has(name)) continue;
    const written = writtenTypeOf(write);
    if (written === undefined) continue;
    const [type, value] = written;
    const want = comparable(type, value);
    if (want === undefined) continue;
    const current = page.properties[name] as Json | undefined;
    if (current === undefined || current.type !== type) {
      differing.push(name);
      continue;
    }
    if (canonicalJson(comparable(type, current[type])) !== canonicalJson(want)) differing.push(name);
  }
  return differing.sort();
}
