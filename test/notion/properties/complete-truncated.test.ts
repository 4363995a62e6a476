import type {
  PropertyItemListResponse,
  PropertyItemObjectResponse,
  RichTextItemResponse,
} from '@notionhq/client/build/src/api-endpoints.js';
import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../../src/errors.js';
import { PAGE_OBJECT_REFERENCE_LIMIT } from '../../../src/notion/limits.js';
import { readPageProperties } from '../../../src/notion/properties/codec-registry.js';
import {
  completeTruncatedProperties,
  isPossiblyTruncated,
  type FetchPropertyItems,
} from '../../../src/notion/properties/complete-truncated.js';
import type {
  PersonPlain,
  PropertyValueResponse,
  RichTextPlain,
} from '../../../src/notion/properties/property-codec.js';
import { pageMention, pageWith, textItem } from './notion-fixtures.js';

const ids = (n: number, prefix = 'rel') =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

/**
 * A fake of `GET /v1/pages/{id}/properties/{property_id}`: serves `items` in pages of `pageSize` in the
 * paginated `property_item` list format (one element per result), and records every call.
 */
function fakeEndpoint(
  propertyType: 'relation' | 'people' | 'title' | 'rich_text',
  items: PropertyItemObjectResponse[],
  pageSize = 25,
) {
  const calls: { pageId: string; propertyId: string; startCursor: string | undefined }[] = [];
  const fetch: FetchPropertyItems = async (pageId, propertyId, startCursor) => {
    calls.push({ pageId, propertyId, startCursor });
    const start = startCursor === undefined ? 0 : Number(startCursor.replace('cursor-', ''));
    const end = Math.min(start + pageSize, items.length);
    const hasMore = end < items.length;
    const response: PropertyItemListResponse = {
      object: 'list',
      type: 'property_item',
      property_item: {
        id: propertyId,
        type: propertyType,
        [propertyType]: {},
        next_url: hasMore ? `https://api/next/${end}` : null,
      } as PropertyItemListResponse['property_item'],
      results: items.slice(start, end),
      next_cursor: hasMore ? `cursor-${end}` : null,
      has_more: hasMore,
    };
    return response;
  };
  return { fetch, calls };
}

const relationItem = (id: string): PropertyItemObjectResponse => ({
  object: 'property_item',
  id: 'rel%3A',
  type: 'relation',
  relation: { id },
});

describe(completeTruncatedProperties, () => {
  it('completes a relation truncated at 25 (has_more) with 60 ids fetched over three pages', async () => {
    const all = ids(60);
    const truncated = {
      id: 'rel%3A',
      type: 'relation',
      relation: all.slice(0, PAGE_OBJECT_REFERENCE_LIMIT).map((id) => ({ id })),
      has_more: true,
    } as PropertyValueResponse;
    const page = pageWith({
      Name: { id: 'title', type: 'title', title: [textItem('x')] },
      Related: truncated,
    });
    const { fetch, calls } = fakeEndpoint('relation', all.map(relationItem));

    const complete = await completeTruncatedProperties(page, fetch);

    expect(readPageProperties(complete)['Related']).toEqual(all);
    expect(calls).toEqual([
      { pageId: 'page-1', propertyId: 'rel%3A', startCursor: undefined },
      { pageId: 'page-1', propertyId: 'rel%3A', startCursor: 'cursor-25' },
      { pageId: 'page-1', propertyId: 'rel%3A', startCursor: 'cursor-50' },
    ]);
    expect(complete.properties['Related']).not.toHaveProperty('has_more');
    // The input page is left as it was; untouched properties are the same objects.
    expect(readPageProperties(page)['Related']).toHaveLength(25);
    expect(complete.properties['Name']).toBe(page.properties['Name']);
  });

  it('fetches a relation of exactly 25 even without has_more, and leaves shorter ones alone', async () => {
    const exactly25 = {
      id: 'r',
      type: 'relation',
      relation: ids(25).map((id) => ({ id })),
    } as PropertyValueResponse;
    const short = {
      id: 's',
      type: 'relation',
      relation: ids(3).map((id) => ({ id })),
    } as PropertyValueResponse;
    expect(isPossiblyTruncated(exactly25)).toBe(true);
    expect(isPossiblyTruncated(short)).toBe(false);
    const { fetch, calls } = fakeEndpoint('relation', ids(25).map(relationItem));
    const page = pageWith({ A: exactly25, B: short });
    const complete = await completeTruncatedProperties(page, fetch);
    expect(calls.map((c) => c.propertyId)).toEqual(['r']);
    expect(readPageProperties(complete)['A']).toEqual(ids(25));
  });

  it('returns the same page object when nothing is truncated, without fetching', async () => {
    const { fetch, calls } = fakeEndpoint('relation', []);
    const page = pageWith({ R: { id: 'r', type: 'relation', relation: [{ id: 'a' }] } });
    expect(await completeTruncatedProperties(page, fetch)).toBe(page);
    expect(calls).toHaveLength(0);
  });

  it('completes people and title mentions', async () => {
    const people = ids(30, 'user');
    const peopleValue: PropertyValueResponse = {
      id: 'pp',
      type: 'people',
      people: people.slice(0, 25).map((id) => ({ object: 'user', id })),
    };
    const mentions: RichTextItemResponse[] = ids(40, 'page').map((id) => pageMention(id));
    const titleValue: PropertyValueResponse = { id: 'title', type: 'title', title: mentions.slice(0, 25) };
    const page = pageWith({ Team: peopleValue, Name: titleValue });

    const peopleEndpoint = fakeEndpoint(
      'people',
      people.map((id) => ({
        object: 'property_item',
        id: 'pp',
        type: 'people',
        people: { object: 'user', id },
      })),
      10,
    );
    const titleEndpoint = fakeEndpoint(
      'title',
      mentions.map((m) => ({ object: 'property_item', id: 'title', type: 'title', title: m })),
      100,
    );
    const fetch: FetchPropertyItems = (pageId, propertyId, cursor) =>
      (propertyId === 'pp' ? peopleEndpoint : titleEndpoint).fetch(pageId, propertyId, cursor);

    const plain = readPageProperties(await completeTruncatedProperties(page, fetch));
    expect((plain['Team'] as readonly PersonPlain[]).map((p) => p.id)).toEqual(people);
    expect((plain['Name'] as RichTextPlain).richText).toEqual(mentions);
    expect(peopleEndpoint.calls).toHaveLength(3);
    expect(titleEndpoint.calls).toHaveLength(1);
  });

  it('refuses a malformed answer: an item of another type, a single item, a repeated cursor', async () => {
    const value = {
      id: 'r',
      type: 'relation',
      relation: [],
      has_more: true,
    } as unknown as PropertyValueResponse;
    const page = pageWith({ R: value });
    const wrongType = fakeEndpoint('relation', [
      { object: 'property_item', id: 'r', type: 'number', number: 1 },
    ]);
    await expect(completeTruncatedProperties(page, wrongType.fetch)).rejects.toThrow(InvalidValueError);

    const single: FetchPropertyItems = async () => relationItem('x') as unknown as PropertyItemListResponse;
    await expect(completeTruncatedProperties(page, single)).rejects.toThrow(/single item/);

    const stuck: FetchPropertyItems = async () => ({
      object: 'list',
      type: 'property_item',
      property_item: { id: 'r', type: 'relation', relation: {}, next_url: null },
      results: [relationItem('x')],
      next_cursor: 'same',
      has_more: true,
    });
    await expect(completeTruncatedProperties(page, stuck)).rejects.toThrow(/repeated cursor "same"/);
  });

  it('propagates errors of the fetch function', async () => {
    const page = pageWith({ R: { id: 'r', type: 'relation', relation: ids(25).map((id) => ({ id })) } });
    await expect(
      completeTruncatedProperties(page, async () => Promise.reject(new Error('rate limited'))),
    ).rejects.toThrow('rate limited');
  });
});
