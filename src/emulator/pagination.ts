import { MAX_PAGE_SIZE } from '../notion/limits.js';
import { shouldBe, validationError } from './notion-error.js';

/** Parses `page_size` (from a query string or body): integer 1..100, default 100. */
export function pageSize(raw: unknown, path: string): number {
  if (raw === undefined || raw === null) return MAX_PAGE_SIZE;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw shouldBe(path, 'a number', raw);
  if (n < 1)
    throw validationError(
      `${path.split('.')[0]} failed validation: ${path} should be ≥ \`1\`, instead was \`${n}\`.`,
    );
  if (n > MAX_PAGE_SIZE)
    throw validationError(
      `${path.split('.')[0]} failed validation: ${path} should be ≤ \`${MAX_PAGE_SIZE}\`, instead was \`${n}\`.`,
    );
  return n;
}

/** An opaque cursor: base64url of `{o: offset, f: fingerprint}`. */
export function encodeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` for the same fingerprint, else 400 `validation_error`. */
export function decodeCursor(raw: unknown, fingerprint: string, path: string): number {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw !== 'string') throw shouldBe(path, 'a string', raw);
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0 && v.f === fingerprint) return v.o;
  } catch {
    /* fall through */
  }
  throw validationError(
    `${path.split('.')[0]} failed validation: ${path} should be a cursor returned by the same request, instead was \`${JSON.stringify(raw)}\`.`,
  );
}

/** One page of a list response: `{object:'list', results, next_cursor, has_more, type, <type>:{}}`. */
export function listPage<T>(
  items: readonly T[],
  offset: number,
  size: number,
  type: string,
  cursorFor: (offset: number) => string,
): {
  object: 'list';
  results: T[];
  next_cursor: string | null;
  has_more: boolean;
  type: string;
  [k: string]: unknown;
} {
  const results = items.slice(offset, offset + size);
  const hasMore = offset + size < items.length;
  return {
    object: 'list',
    results,
    next_cursor: hasMore ? cursorFor(offset + size) : null,
    has_more: hasMore,
    type,
    [type]: {},
  };
}
