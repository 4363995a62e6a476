/**
 * Cursor pagination as an async iterator of whole pages (STYLE rule 9), so that a consumer can commit its
 * state after each page and resume from `nextCursor`.
 */
import { QueryCapError } from './gateway-errors.js';

/** Arguments every paginated list endpoint takes. */
export interface PaginationArgs {
  start_cursor?: string | null | undefined;
  page_size?: number | undefined;
}

/** The response shape every paginated list endpoint returns. */
export interface PaginatedResponse<Item> {
  results: Item[];
  next_cursor: string | null;
  has_more: boolean;
  request_status?: { type: 'complete' | 'incomplete'; incomplete_reason?: string } | undefined;
}

/** One page of a paginated endpoint. */
export interface GatewayPage<Item> {
  readonly results: readonly Item[];
  /** Cursor of the next page (pass it as `start_cursor` to resume), or `null` on the last page. */
  readonly nextCursor: string | null;
  readonly hasMore: boolean;
  /**
   * Data source queries only: `incomplete` when Notion stopped at its per-query result cap (the results
   * are then truncated; see `queryDataSourceAll`).
   */
  readonly requestStatus: PaginatedResponse<Item>['request_status'];
}

export interface PaginateOptions {
  /**
   * Yield a capped (`request_status: incomplete`) page instead of throwing `QueryCapError`. Only for
   * callers that handle the cap themselves. @default false
   */
  readonly allowIncomplete?: boolean;
}

/**
 * Calls `listFn` page after page, starting at `args.start_cursor`, and yields each page whole. Loops
 * while `next_cursor` is set (as the SDK's `iteratePaginatedAPI` does). Works with every list endpoint of
 * the SDK: `client.dataSources.query`, `client.search`, `client.blocks.children.list`, `client.users.list`,
 * `client.pages.properties.retrieve`, ...
 *
 * A page that says `request_status: incomplete` means the results were cut by Notion's query cap: that
 * raises `QueryCapError` (never a silently truncated list) unless `allowIncomplete` is set.
 *
 * ### Examples
 * ```ts
 * for await (const page of paginate(gateway.client.blocks.children.list, { block_id })) {
 *   await store.saveBlocks(page.results);
 *   await store.saveCursor(page.nextCursor);
 * }
 * ```
 */
export async function* paginate<Args extends PaginationArgs, Item>(
  listFn: (args: Args) => Promise<PaginatedResponse<Item>>,
  args: NoInfer<Args>,
  options: PaginateOptions = {},
): AsyncGenerator<GatewayPage<Item>, void, undefined> {
  let cursor = args.start_cursor ?? undefined;
  do {
    const response = await listFn({ ...args, start_cursor: cursor });
    const nextCursor = response.next_cursor ?? null;
    if (response.request_status?.type === 'incomplete' && options.allowIncomplete !== true) {
      const dataSourceId = (args as { data_source_id?: unknown }).data_source_id;
      throw new QueryCapError(
        'Notion stopped this query at its result cap (request_status: incomplete): the results would be truncated.',
        { dataSourceId: typeof dataSourceId === 'string' ? dataSourceId : undefined },
        {
          hint: 'Use gateway.queryDataSourceAll(), which splits the query by created_time, or narrow the filter.',
        },
      );
    }
    yield Object.freeze({
      results: response.results,
      nextCursor,
      hasMore: response.has_more,
      requestStatus: response.request_status,
    });
    cursor = nextCursor ?? undefined;
  } while (cursor);
}
