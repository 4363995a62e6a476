import type { PageObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { propertiesDifferingInNotion } from '../../src/push/notion-drift.js';

/** A page whose properties are given in their response form (`type` and its member). */
function page(properties: Record<string, Record<string, unknown>>): Pick<PageObjectResponse, 'properties'> {
  return { properties: properties as unknown as PageObjectResponse['properties'] };
}

describe(propertiesDifferingInNotion, () => {
  const current = page({
    Name: { type: 'title', title: [{ plain_text: 'Fix ' }, { plain_text: 'login', href: 'https://x' }] },
    Done: { type: 'checkbox', checkbox: true },
    Tags: { type: 'multi_select', multi_select: [{ name: 'b', color: 'red' }, { name: 'a' }] },
    Due: { type: 'date', date: { start: '2026-01-01T10:00:00.000+00:00', end: null, time_zone: null } },
    Links: { type: 'relation', relation: [{ id: '0123abcd-0000-0000-0000-000000000000' }] },
    Points: { type: 'number', number: 3 },
    Formula: { type: 'formula', formula: { type: 'number', number: 6 } },
  });

  it('compares by content: text by plain text, options in any order, dates by instant, ids without dashes', () => {
    expect(
      propertiesDifferingInNotion(
        {
          Name: { title: [{ type: 'text', text: { content: 'Fix login' } }] },
          Done: { checkbox: true },
          Tags: { multi_select: [{ name: 'a' }, { name: 'b' }] },
          Due: { date: { start: '2026-01-01T10:00:00Z' } },
          Links: { relation: [{ id: '0123abcd000000000000000000000000' }] },
        },
        current,
      ),
    ).toEqual([]);
  });

  it('names what differs, a property missing or of another type, and leaves out what it is told to skip', () => {
    expect(
      propertiesDifferingInNotion(
        {
          Name: { title: [{ type: 'text', text: { content: 'Fix logout' } }] },
          Done: { checkbox: false },
          Points: { number: null },
          Missing: { rich_text: [] },
          Formula: { rich_text: [] },
          Links: { relation: [] },
        },
        current,
        new Set(['Links']),
      ),
    ).toEqual(['Done', 'Formula', 'Missing', 'Name', 'Points']);
  });
});
