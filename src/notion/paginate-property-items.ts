import type {
  GetPagePropertyParameters,
  GetPagePropertyResponse,
  PropertyItemListResponse,
} from '@notionhq/client';
import type { GatewayPage } from './paginate.js';

/** One property item of a page (a title fragment, one relation, a number, ...). */
export type PropertyItem = Exclude<GetPagePropertyResponse, PropertyItemListResponse>;

/** A page of property items; `propertyItem` describes the whole list (type, id, rollup summary). */
export interface PropertyItemsPage extends GatewayPage<PropertyItem> {
  /** The list's own description, for paginated property types; `undefined` for single-value types. */
  readonly propertyItem: PropertyItemListResponse['property_item'] | undefined;
}

/**
 * Pages of `pages.properties.retrieve`. That endpoint answers a single item for single-value types
 * (number, select, date, ...) and a paginated `property_item` list for title, rich_text, relation, people
 * and rollup: the way to read past the 25 references a page object carries. Both come out as pages here.
 */
export async function* paginatePropertyItems(
  retrieve: (args: GetPagePropertyParameters) => Promise<GetPagePropertyResponse>,
  args: GetPagePropertyParameters,
): AsyncGenerator<PropertyItemsPage, void, undefined> {
  let cursor = args.start_cursor ?? undefined;
  do {
    const response = await retrieve({ ...args, start_cursor: cursor });
    if (response.object !== 'list') {
      yield Object.freeze({
        results: [response],
        nextCursor: null,
        hasMore: false,
        requestStatus: undefined,
        propertyItem: undefined,
      });
      return;
    }
    const nextCursor = response.next_cursor ?? null;
    yield Object.freeze({
      results: response.results,
      nextCursor,
      hasMore: response.has_more,
      requestStatus: undefined,
      propertyItem: response.property_item,
    });
    cursor = nextCursor ?? undefined;
  } while (cursor);
}
