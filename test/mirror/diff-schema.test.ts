import { describe, expect, it } from 'vitest';
import { diffSchema, rowsNeedRescan, schemaChanged } from '../../src/mirror/diff-schema.js';

const before = {
  Name: { id: 'title', name: 'Name', type: 'title' },
  Status: { id: 'st', name: 'Status', type: 'select' },
  Points: { id: 'pt', name: 'Points', type: 'number' },
  Due: { id: 'du', name: 'Due', type: 'date' },
};

describe(diffSchema, () => {
  it('tracks renames by property id, and finds added, removed and retyped properties', () => {
    const diff = diffSchema(before, {
      Name: { id: 'title', name: 'Name', type: 'title' },
      State: { id: 'st', name: 'State', type: 'select' },
      Points: { id: 'pt', name: 'Points', type: 'rich_text' },
      Owner: { id: 'ow', name: 'Owner', type: 'people' },
    });
    expect(diff).toEqual({
      added: ['Owner'],
      renamed: [{ id: 'st', from: 'Status', to: 'State' }],
      removed: ['Due'],
      retyped: [{ name: 'Points', from: 'number', to: 'rich_text' }],
    });
    expect(rowsNeedRescan(diff)).toBe(true);
  });

  it('an added property changes the schema (the view) without making stored rows stale', () => {
    const diff = diffSchema(before, { ...before, Tags: { id: 'tg', name: 'Tags', type: 'multi_select' } });
    expect(schemaChanged(diff)).toBe(true);
    expect(rowsNeedRescan(diff)).toBe(false);
  });

  it('the same schema is no change; a missing or malformed stored schema compares as empty', () => {
    expect(schemaChanged(diffSchema(before, before))).toBe(false);
    expect(diffSchema(undefined, before).added).toEqual(['Due', 'Name', 'Points', 'Status']);
    expect(diffSchema({ x: 1, y: null }, before).removed).toEqual([]);
  });
});
