/**
 * Completing the relation, people and text values that a page object truncates at 25 references
 * (notion-api-facts.md §7 "25-reference truncation", §13 pitfall 9).
 * @module
 */
import type {
  PageObjectResponse,
  PropertyItemListResponse,
  PropertyItemObjectResponse,
} from '@notionhq/client/build/src/api-endpoints.js';
import { InvalidValueError } from '../../errors.js';
import { PAGE_OBJECT_REFERENCE_LIMIT } from '../limits.js';
import type { PropertyValueResponse } from './property-codec.js';

/**
 * Fetches one page of a property's items: `GET /v1/pages/{pageId}/properties/{propertyId}` with
 * `start_cursor`. With the gateway's SDK client:
 * `(pageId, propertyId, startCursor) => client.pages.properties.retrieve({ page_id: pageId, property_id:
 * propertyId, start_cursor: startCursor }) as Promise<PropertyItemListResponse>`.
 *
 * `propertyId` is passed exactly as the page object has it (already percent-encoded, e.g. `"M%3BBw"`).
 */
export type FetchPropertyItems = (
  pageId: string,
  propertyId: string,
  startCursor?: string,
) => Promise<PropertyItemListResponse>;

/** The element each paginated property-item result holds, by property type. */
interface ItemElement {
  relation: { id: string };
  people: Extract<PropertyItemObjectResponse, { type: 'people' }>['people'];
  title: Extract<PropertyItemObjectResponse, { type: 'title' }>['title'];
  rich_text: Extract<PropertyItemObjectResponse, { type: 'rich_text' }>['rich_text'];
}

/** Whether a value may be missing references: `has_more: true` on a relation, or 25 or more references. */
export function isPossiblyTruncated(value: PropertyValueResponse): boolean {
  switch (value.type) {
    case 'relation':
      // `has_more` is documented on truncated relations but absent from the SDK's types.
      return (
        (value as { has_more?: unknown }).has_more === true ||
        value.relation.length >= PAGE_OBJECT_REFERENCE_LIMIT
      );
    case 'people':
      return value.people.length >= PAGE_OBJECT_REFERENCE_LIMIT;
    case 'title':
    case 'rich_text': {
      const items = value.type === 'title' ? value.title : value.rich_text;
      return items.filter((item) => item.type === 'mention').length >= PAGE_OBJECT_REFERENCE_LIMIT;
    }
    default:
      return false;
  }
}

/**
 * Follows `next_cursor` until `has_more` is false and returns every result. Each result of a paginated
 * property-item list holds one element (one relation `{id}`, one user, one rich-text item).
 */
async function fetchAllItems(
  fetch: FetchPropertyItems,
  pageId: string,
  name: string,
  value: PropertyValueResponse,
): Promise<PropertyItemObjectResponse[]> {
  const results: PropertyItemObjectResponse[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const response = await fetch(pageId, value.id, cursor);
    if ((response as { object?: unknown }).object !== 'list') {
      throw new InvalidValueError(
        name,
        value.type,
        'the property-item endpoint returned a single item, not a list.',
        {
          hint: 'Check that the fetch function calls pages.properties.retrieve for this page and property.',
        },
      );
    }
    results.push(...response.results);
    if (!response.has_more || response.next_cursor === null) return results;
    if (seenCursors.has(response.next_cursor)) {
      throw new InvalidValueError(
        name,
        value.type,
        `the property-item endpoint repeated cursor "${response.next_cursor}".`,
        {
          hint: 'The fetch function must pass startCursor on to the endpoint.',
        },
      );
    }
    seenCursors.add(response.next_cursor);
    cursor = response.next_cursor;
  }
}

function element<T extends keyof ItemElement>(
  item: PropertyItemObjectResponse,
  type: T,
  name: string,
): ItemElement[T] {
  if (item.type !== type) {
    throw new InvalidValueError(name, type, `the property-item endpoint returned a "${item.type}" item.`, {
      hint: 'Check that the fetch function asks for the property id it is given.',
    });
  }
  return (item as unknown as Record<string, unknown>)[type] as ItemElement[T];
}

async function completeValue(
  fetch: FetchPropertyItems,
  pageId: string,
  name: string,
  value: PropertyValueResponse,
): Promise<PropertyValueResponse> {
  const items = await fetchAllItems(fetch, pageId, name, value);
  switch (value.type) {
    case 'relation':
      return {
        id: value.id,
        type: 'relation',
        relation: items.map((i) => ({ id: element(i, 'relation', name).id })),
      };
    case 'people':
      return { id: value.id, type: 'people', people: items.map((i) => element(i, 'people', name)) };
    case 'title':
      return { id: value.id, type: 'title', title: items.map((i) => element(i, 'title', name)) };
    case 'rich_text':
      return { id: value.id, type: 'rich_text', rich_text: items.map((i) => element(i, 'rich_text', name)) };
    default:
      return value;
  }
}

/**
 * Returns `page` with every possibly truncated relation, people, title and rich_text value (see
 * {@link isPossiblyTruncated}) replaced by its complete value from the property-item endpoint, fetched
 * through `fetch`, one property after the other. Other values, and the input page, are left untouched; a
 * completed relation no longer carries `has_more`.
 *
 * Errors of `fetch` propagate; a malformed answer (a single item, an item of another type, a repeated
 * cursor) throws `InvalidValueError` naming the property.
 */
export async function completeTruncatedProperties(
  page: PageObjectResponse,
  fetch: FetchPropertyItems,
): Promise<PageObjectResponse> {
  let properties: PageObjectResponse['properties'] | undefined;
  for (const [name, value] of Object.entries(page.properties)) {
    if (!isPossiblyTruncated(value)) continue;
    properties ??= { ...page.properties };
    properties[name] = await completeValue(fetch, page.id, name, value);
  }
  return properties === undefined ? page : { ...page, properties };
}
