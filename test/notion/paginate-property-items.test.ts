import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { paginatePropertyItems } from '../../src/notion/paginate-property-items.js';
import type { PropertyItemsPage } from '../../src/notion/paginate-property-items.js';
import { drive, fakeFetch } from './fake-fetch.js';
import type { Handler } from './fake-fetch.js';

const PAGE = '1f2e3d4c5b6a79881f2e3d4c5b6a7988';

function gatewayWith(handler: Handler) {
  const clock = new ManualClock(0);
  const fetch = fakeFetch(handler);
  const gateway = createGateway({ token: 'ntn_proptesttoken0123456789abcdefghi', clock, fetch });
  const collect = async (): Promise<PropertyItemsPage[]> => {
    const pages: PropertyItemsPage[] = [];
    for await (const p of gateway.propertyItems({ page_id: PAGE, property_id: 'rel' })) pages.push(p);
    return pages;
  };
  return { clock, fetch, collect };
}

describe(paginatePropertyItems, () => {
  it('walks a paginated relation past 25 references', async () => {
    const { clock, fetch, collect } = gatewayWith((req) => {
      const start = Number(new URL(req.url).searchParams.get('start_cursor') ?? '0');
      const ids = Array.from({ length: Math.min(25, 60 - start) }, (_, i) => `rel-${String(start + i)}`);
      const next = start + 25 < 60 ? String(start + 25) : null;
      return {
        status: 200,
        body: {
          object: 'list',
          type: 'property_item',
          property_item: { type: 'relation', relation: {}, next_url: null, id: 'rel' },
          results: ids.map((id) => ({
            object: 'property_item',
            type: 'relation',
            id: 'rel',
            relation: { id },
          })),
          next_cursor: next,
          has_more: next !== null,
        },
      };
    });
    const pages = await drive(clock, collect());
    expect(pages.map((p) => p.results.length)).toEqual([25, 25, 10]);
    expect(pages[0]?.propertyItem).toMatchObject({ type: 'relation', id: 'rel' });
    expect(fetch.requests.map((r) => new URL(r.url).searchParams.get('start_cursor'))).toEqual([
      null,
      '25',
      '50',
    ]);
    expect(fetch.requests[0]?.path).toBe(`/v1/pages/${PAGE}/properties/rel`);
  });

  it('returns a single-value property as one page of one item', async () => {
    const item = { object: 'property_item', type: 'number', id: 'rel', number: 42 };
    const { clock, collect } = gatewayWith(() => ({ status: 200, body: item }));
    const pages = await drive(clock, collect());
    expect(pages).toEqual([
      {
        results: [item],
        nextCursor: null,
        hasMore: false,
        requestStatus: undefined,
        propertyItem: undefined,
      },
    ]);
  });
});
