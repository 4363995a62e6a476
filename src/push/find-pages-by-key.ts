import type { QueryDataSourceParameters } from '@notionhq/client';
import type { NotionGateway } from '../notion/gateway.js';
import type { WorkerDatabase } from '../workers/worker-manifest.js';

/** A page of the target found by its primary key. */
export interface KeyedPage {
  readonly id: string;
  readonly createdTime: string;
}

/** The data source filter matching rows whose primary-key property equals `key`. */
export function primaryKeyFilter(
  database: WorkerDatabase,
  key: string,
): NonNullable<QueryDataSourceParameters['filter']> {
  const property = database.primaryKeyProperty;
  const type = database.properties[property]?.type;
  switch (type) {
    case 'title':
      return { property, title: { equals: key } };
    case 'url':
      return { property, url: { equals: key } };
    case 'email':
      return { property, email: { equals: key } };
    case 'phone_number':
      return { property, phone_number: { equals: key } };
    case 'number':
      return { property, number: { equals: Number(key) } };
    default:
      return { property, rich_text: { equals: key } };
  }
}

/**
 * Every live (not trashed) page of the data source whose primary-key property equals `key`, oldest first: the
 * lookup that decides whether a create whose outcome is unknown landed (DESIGN invariant 3).
 */
export async function findPagesByKey(
  gateway: NotionGateway,
  dataSourceId: string,
  database: WorkerDatabase,
  key: string,
): Promise<KeyedPage[]> {
  const found: KeyedPage[] = [];
  for await (const page of gateway.paginate(gateway.client.dataSources.query, {
    data_source_id: dataSourceId,
    filter: primaryKeyFilter(database, key),
    sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
    page_size: 100,
  })) {
    for (const row of page.results) {
      const r = row as { id: string; object: string; created_time?: string; in_trash?: boolean };
      if (r.object === 'page' && r.in_trash !== true)
        found.push({ id: r.id, createdTime: r.created_time ?? '' });
    }
  }
  return found;
}
