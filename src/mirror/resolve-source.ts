/**
 * Discovery: turns what a user gave (a database id, a data source id, or a link to either) into the data
 * sources to mirror, each with its schema (read from Notion, or as the replica recorded it).
 * @module
 */
import { APIErrorCode, APIResponseError, isFullDatabase, isFullDataSource } from '@notionhq/client';
import { NotFoundError } from '../errors.js';
import type { NotionGateway } from '../notion/gateway.js';
import { parseNotionId } from '../notion/notion-id.js';
import { toNotionSyncError } from '../notion/notion-api-error.js';
import type { Store } from '../store/store.js';
import type { ViewPropertySchema } from '../store/view-columns.js';

/** One data source to mirror, as Notion describes it now or as the replica recorded it. */
export interface ResolvedDataSource {
  readonly id: string;
  /** The database that contains it. */
  readonly databaseId: string | null;
  /** Plain text of its title (falls back to the database title, then the id). */
  readonly title: string;
  /**
   * Its schema: property name → property config (with `id`, `name`, `type`); `undefined` when it was not
   * read (a database's data source seen for the first time: its rows show it, or the mirror reads it).
   */
  readonly schema: ViewPropertySchema | undefined;
  /** True when this came from the replica's `data_sources` (no call): the query results are checked against it. */
  readonly cached: boolean;
}

/** How `resolveSource` may use what the replica recorded (by default it always asks Notion). */
export interface ResolveOptions {
  /** Ask Notion even when the replica knows the source (a full run). */
  readonly rediscover: boolean;
  /** Stored discoveries older than this (ISO) are read again. */
  readonly staleBefore: string;
}

const SHARE_HINT =
  'Check the id, then share the database with your integration: in Notion open the database, choose ••• → Connections, and add the integration.';

/**
 * Resolves one source to its data sources. When the replica recorded them (a data source by its id, or
 * the data sources of a database) since `staleBefore`, and `rediscover` is false, that costs no call.
 * Otherwise each data source already in the replica costs one call (`dataSources.retrieve`, its schema
 * included), and a database one more (`databases.retrieve`); the schema of a data source seen for the
 * first time through its database is left for its rows to show (`schema: undefined`).
 *
 * @throws InvalidIdError for input that is not a Notion id or link;
 *   NotFoundError when neither a database nor a data source with that id is visible (not shared, or
 *   wrong id); NotionApiError for other Notion errors (401: the hint says to check NOTION_TOKEN).
 */
export async function resolveSource(
  gateway: NotionGateway,
  store: Store,
  source: string,
  options: ResolveOptions = { rediscover: true, staleBefore: '' },
): Promise<ResolvedDataSource[]> {
  const id = parseNotionId(source);
  const known = await store.replica.getDataSource(id);
  if (!options.rediscover) {
    const recorded = known === undefined ? await store.replica.listDataSources({ databaseId: id }) : [known];
    if (recorded.length > 0 && recorded.every((r) => (r.discoveredAt ?? '') >= options.staleBefore)) {
      return recorded.map((r) => ({
        id: r.id,
        databaseId: r.databaseId,
        title: r.title,
        schema: r.schema as ViewPropertySchema,
        cached: true,
      }));
    }
  }
  if (known === undefined) {
    try {
      const database = await gateway.client.databases.retrieve({ database_id: id });
      if (isFullDatabase(database)) {
        const title = plainText(database.title);
        const out: ResolvedDataSource[] = [];
        for (const ref of database.data_sources) {
          // A data source seen before has its schema read again (it may have changed while no row did);
          // a new one's rows show its schema.
          out.push(
            (await store.replica.getDataSource(ref.id)) === undefined
              ? {
                  id: ref.id,
                  databaseId: database.id,
                  title: ref.name || title || ref.id,
                  schema: undefined,
                  cached: false,
                }
              : await retrieveDataSource(gateway, ref.id, title || ref.name),
          );
        }
        return out;
      }
    } catch (error) {
      // A data source id (or a page id) given where a database id was tried: Notion answers 404 (or 400).
      if (!isNotFoundOrInvalid(error)) throw toNotionSyncError(error);
    }
  }
  try {
    return [await retrieveDataSource(gateway, id, '')];
  } catch (error) {
    if (isNotFoundOrInvalid(error)) {
      throw new NotFoundError(
        `Notion has no database or data source ${id} that this integration can see (from "${source}").`,
        { hint: SHARE_HINT, cause: error },
      );
    }
    throw toNotionSyncError(error);
  }
}

/** Reads a data source and its schema from Notion (one call). */
export async function retrieveDataSource(
  gateway: NotionGateway,
  id: string,
  fallbackTitle: string,
): Promise<ResolvedDataSource> {
  const ds = await gateway.client.dataSources.retrieve({ data_source_id: id });
  if (!isFullDataSource(ds)) {
    throw new NotFoundError(`Notion returned only a partial data source ${id}.`, { hint: SHARE_HINT });
  }
  return {
    id: ds.id,
    databaseId: ds.parent.type === 'database_id' ? ds.parent.database_id : null,
    title: plainText(ds.title) || fallbackTitle || ds.id,
    schema: ds.properties,
    cached: false,
  };
}

function isNotFoundOrInvalid(error: unknown): boolean {
  return (
    APIResponseError.isAPIResponseError(error) &&
    (error.code === APIErrorCode.ObjectNotFound || error.code === APIErrorCode.ValidationError)
  );
}

/** The plain text of a rich-text array. */
export function plainText(items: readonly { plain_text: string }[]): string {
  return items.map((t) => t.plain_text).join('');
}
