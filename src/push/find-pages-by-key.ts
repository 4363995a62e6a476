import type { PageObjectResponse } from '@notionhq/client';
import type { NotionGateway } from '../notion/gateway.js';
import { readPageProperties } from '../notion/properties/codec-registry.js';
import type { WorkerDatabase } from '../workers/worker-manifest.js';

/** A page of the target found by its primary key. */
export interface KeyedPage {
  readonly id: string;
  readonly createdTime: string;
}

/**
 * Margin before a create's recorded intent from which pages are looked at: Notion's `created_time` is minute
 * granular (rounded down), and our clock and Notion's may differ a little.
 */
export const CREATED_WINDOW_MARGIN_MS = 2 * 60_000;

/** The primary-key value of a row as text (title and text properties by their plain text). */
export function primaryKeyOf(
  page: Parameters<typeof readPageProperties>[0],
  property: string,
): string | undefined {
  const value = readPageProperties(page)[property];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && 'text' in value && typeof value.text === 'string')
    return value.text;
  return undefined;
}

/**
 * Every live (not trashed) page of the data source created since `createdOnOrAfter` (less
 * {@link CREATED_WINDOW_MARGIN_MS}) whose primary-key property equals `key`, oldest first: the lookup that
 * decides whether a create whose outcome is unknown landed (DESIGN invariant 3).
 *
 * Why a created-time window rather than a filter on the key property: a page our lost create made was created
 * after its intent was recorded, so the window holds it, and only the pages created since (few: one pending
 * create is settled at the start of the next run at the latest). The query uses only a timestamp filter and
 * sort, which every Notion version (and the emulator) answers; the key is matched here.
 */
export async function findPagesByKey(
  gateway: NotionGateway,
  dataSourceId: string,
  database: WorkerDatabase,
  key: string,
  createdOnOrAfter: string,
): Promise<KeyedPage[]> {
  const since = new Date(Date.parse(createdOnOrAfter) - CREATED_WINDOW_MARGIN_MS).toISOString();
  const found: KeyedPage[] = [];
  for await (const page of gateway.queryDataSourceAll({
    data_source_id: dataSourceId,
    filter: { timestamp: 'created_time', created_time: { on_or_after: since } },
  })) {
    for (const row of page.results) {
      const r = row as Parameters<typeof readPageProperties>[0] & {
        id: string;
        object: string;
        created_time?: string;
        in_trash?: boolean;
      };
      if (r.object !== 'page' || r.in_trash === true || !('properties' in r)) continue;
      if (primaryKeyOf(r, database.primaryKeyProperty) === key)
        found.push({ id: r.id, createdTime: r.created_time ?? '' });
    }
  }
  return found;
}

/**
 * Every live page of a data source by primary key (the oldest page of a key wins): what an `attached` database
 * already holds before our first write into it, so existing rows are adopted rather than created again.
 */
export async function pagesByPrimaryKey(
  gateway: NotionGateway,
  dataSourceId: string,
  database: WorkerDatabase,
): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  for (const page of await livePages(gateway, dataSourceId)) {
    const key = primaryKeyOf(page, database.primaryKeyProperty);
    if (key !== undefined && key !== '' && !pages.has(key)) pages.set(key, page.id);
  }
  return pages;
}

/** Every live (not trashed) page of a data source, as the query returns them (one call per 100 pages). */
export async function livePages(gateway: NotionGateway, dataSourceId: string): Promise<PageObjectResponse[]> {
  const pages: PageObjectResponse[] = [];
  for await (const page of gateway.queryDataSourceAll({ data_source_id: dataSourceId })) {
    for (const row of page.results) {
      const r = row as PageObjectResponse | { object: string };
      if (r.object !== 'page' || !('properties' in r) || r.in_trash) continue;
      pages.push(r);
    }
  }
  return pages;
}
