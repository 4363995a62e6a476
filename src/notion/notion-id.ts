import { InvalidIdError } from '../errors.js';

const HEX32 = /^[0-9a-f]{32}$/i;
const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A 32-hex id (or a dashed UUID) at the end of a path segment, after an optional `Title-` slug. */
const TRAILING_ID =
  /(?:^|[^0-9a-f])([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** Hosts whose links carry Notion ids. */
const NOTION_HOST = /(^|\.)notion\.(so|site|com)$/i;
/** Longest part of a bad input quoted back in an error message. */
const MAX_QUOTED_CHARS = 60;

const ACCEPTED =
  'a Notion ID (32 hexadecimal characters, with or without dashes) or a notion.so / notion.site link to a page or database';

/**
 * Reads a Notion page, database, data source or block id from what a user pasted, and returns it as a
 * dashed lowercase UUID (`1f2e...-....`), the form Notion returns.
 *
 * Accepts 32 hex characters with or without dashes in any case, a bare `Title-<id>` slug, and links on
 * notion.so, www.notion.so, notion.site and *.notion.site: `https://www.notion.so/workspace/Title-<id>`,
 * `...?v=<view id>` (the path's database id is taken, not the view's), `...?p=<page id>` (a page opened
 * as a peek: the peeked page is taken) and `#<block id>` anchors (the page is taken).
 *
 * @throws InvalidIdError naming (a shortened copy of) the input and what is accepted.
 */
export function parseNotionId(input: string): string {
  const id = tryParseNotionId(input);
  if (id === null) {
    const shown = input.length > MAX_QUOTED_CHARS ? `${input.slice(0, MAX_QUOTED_CHARS)}…` : input;
    throw new InvalidIdError(`"${shown}" is not a Notion ID or link.`, {
      hint: `Give ${ACCEPTED}, e.g. 0123456789abcdef0123456789abcdef or https://www.notion.so/My-Page-0123456789abcdef0123456789abcdef.`,
    });
  }
  return id;
}

/** Like `parseNotionId`, but returns `null` instead of throwing. */
export function tryParseNotionId(input: string): string | null {
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (text === '') return null;
  if (HEX32.test(text) || DASHED.test(text)) return dashed(text);
  const url = toUrl(text);
  if (url !== undefined) return idFromUrl(url);
  // A bare slug such as `My-Page-<id>` (no slashes, no spaces).
  if (/^[^\s/?#]+$/.test(text)) return idFromSegment(text);
  return null;
}

function toUrl(text: string): URL | undefined {
  const withScheme = /^https?:\/\//i.test(text)
    ? text
    : /^(www\.)?[a-z0-9-]*\.?notion\.(so|site|com)\//i.test(text)
      ? `https://${text}`
      : undefined;
  if (withScheme === undefined) return undefined;
  try {
    const url = new URL(withScheme);
    return NOTION_HOST.test(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

function idFromUrl(url: URL): string | null {
  const peek = url.searchParams.get('p');
  if (peek !== null) {
    const peeked = idFromSegment(peek);
    if (peeked !== null) return peeked;
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  for (let i = segments.length - 1; i >= 0; i--) {
    const id = idFromSegment(decodeURIComponentSafe(segments[i] as string));
    if (id !== null) return id;
  }
  return null;
}

function idFromSegment(segment: string): string | null {
  if (HEX32.test(segment) || DASHED.test(segment)) return dashed(segment);
  const match = TRAILING_ID.exec(segment);
  return match?.[1] === undefined ? null : dashed(match[1]);
}

function dashed(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
