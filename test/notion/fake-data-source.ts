/**
 * A data source that answers `dataSources.query` like Notion does for our purposes: created_time sort,
 * `created_time on_or_after` filters (alone or inside a top-level `and`), cursors, and a per-query result
 * cap after which it answers `has_more: false` with `request_status: incomplete`. Rows that share a
 * created_time come back in a different order in every query, as nothing guarantees their order.
 */
import type { QueryDataSourceParameters, QueryDataSourceResponse } from '@notionhq/client';

export interface FakeRow {
  readonly object: 'page';
  readonly id: string;
  readonly created_time: string;
  readonly url: string;
  readonly properties: Record<string, never>;
}

/** Rows created at `minutes[i]` minutes after 2026-01-01T00:00Z, ids `r0`, `r1`, ... */
export function rowsAt(minutes: readonly number[]): FakeRow[] {
  return minutes.map((m, i) => ({
    object: 'page',
    id: `r${String(i)}`,
    created_time: new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString(),
    url: `https://www.notion.so/r${String(i)}`,
    properties: {},
  }));
}

type Filter = QueryDataSourceParameters['filter'];

/**
 * Which pages of a capped query say `request_status: incomplete`: only the last, every page (as the
 * emulator does) or only the first.
 */
export type CapFlagging = 'last' | 'every' | 'first';

export function fakeDataSource(rows: readonly FakeRow[], cap: number, flagging: CapFlagging = 'last') {
  const queries: QueryDataSourceParameters[] = [];
  let queryNumber = 0;
  const query = async (args: QueryDataSourceParameters): Promise<QueryDataSourceResponse> => {
    queries.push(args);
    const cursor = args.start_cursor ?? undefined;
    const salt = cursor === undefined ? ++queryNumber : Number(cursor.split(':')[0]);
    const lower = lowerBound(args.filter);
    const sorted = rows
      .filter((r) => lower === undefined || r.created_time >= lower)
      .sort((a, b) =>
        a.created_time === b.created_time
          ? tieKey(a.id, salt) - tieKey(b.id, salt)
          : a.created_time < b.created_time
            ? -1
            : 1,
      );
    const offset = cursor === undefined ? 0 : Number(cursor.split(':')[1]);
    const size = args.page_size ?? 100;
    const end = Math.min(offset + size, cap, sorted.length);
    const capped =
      sorted.length > cap && (flagging === 'every' || (flagging === 'last' ? end === cap : offset === 0));
    const more = end < Math.min(cap, sorted.length);
    return {
      object: 'list',
      type: 'page_or_data_source',
      page_or_data_source: {},
      results: sorted.slice(offset, end) as unknown as QueryDataSourceResponse['results'],
      next_cursor: more ? `${String(salt)}:${String(end)}` : null,
      has_more: more,
      request_status: capped
        ? { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' }
        : { type: 'complete' },
    };
  };
  return { query, queries };
}

function lowerBound(filter: Filter): string | undefined {
  if (filter === undefined) return undefined;
  const parts = 'and' in filter ? filter.and : [filter];
  let bound: string | undefined;
  for (const part of parts) {
    if ('timestamp' in part && part.timestamp === 'created_time' && 'created_time' in part) {
      const onOrAfter = (part.created_time as { on_or_after?: string }).on_or_after;
      if (onOrAfter !== undefined) bound = onOrAfter;
    }
  }
  return bound;
}

/** A per-query pseudo-random order among rows that share a created_time. */
function tieKey(id: string, salt: number): number {
  let h = salt * 2_654_435_761;
  for (const c of id) h = Math.imul(h ^ c.charCodeAt(0), 16_777_619);
  return h >>> 0;
}
