import { describe, expect, it } from 'vitest';
import { rowsMatchSchema, schemaOfRow } from '../../src/mirror/row-schema.js';

/** A stored schema as `dataSources.retrieve` gives it (configs included). */
const stored = {
  Name: { id: 'title', name: 'Name', type: 'title', title: {} },
  Status: { id: 'st%3B', name: 'Status', type: 'select', select: { options: [] } },
  Points: { id: 'pt', name: 'Points', type: 'number', number: { format: 'number' } },
};

const row = (properties: Record<string, { id: string; type: string }>) => ({ properties });
const same = row({
  Name: { id: 'title', type: 'title' },
  Status: { id: 'st%3B', type: 'select' },
  Points: { id: 'pt', type: 'number' },
});

describe(rowsMatchSchema, () => {
  it('accepts rows with exactly the stored properties, ids and types', () => {
    expect(rowsMatchSchema([same, same], stored)).toBe(true);
    expect(rowsMatchSchema([], stored)).toBe(true);
  });

  it('rejects a row with an added, removed, renamed or retyped property', () => {
    const { Points: _p, ...withoutPoints } = same.properties;
    const cases = [
      row({ ...same.properties, Owner: { id: 'ow', type: 'people' } }),
      row(withoutPoints),
      row({ ...withoutPoints, Score: { id: 'pt', type: 'number' } }),
      row({ ...same.properties, Points: { id: 'pt', type: 'rich_text' } }),
      row({ ...same.properties, Points: { id: 'other', type: 'number' } }),
    ];
    for (const changed of cases) expect(rowsMatchSchema([same, changed], stored)).toBe(false);
  });

  it('never matches a malformed stored schema or a name the stored object only inherits', () => {
    expect(rowsMatchSchema([same], null)).toBe(false);
    expect(rowsMatchSchema([same], 'schema')).toBe(false);
    expect(rowsMatchSchema([row({ constructor: { id: 'c', type: 'title' } })], {})).toBe(false);
    expect(rowsMatchSchema([row({ constructor: { id: 'c', type: 'title' } })], { x: 1 })).toBe(false);
  });
});

describe(schemaOfRow, () => {
  it('gives each property its id, name and type, which the stored schema is compared by', () => {
    const schema = schemaOfRow(same);
    expect(schema).toEqual({
      Name: { id: 'title', name: 'Name', type: 'title' },
      Status: { id: 'st%3B', name: 'Status', type: 'select' },
      Points: { id: 'pt', name: 'Points', type: 'number' },
    });
    expect(rowsMatchSchema([same], schema)).toBe(true);
  });
});
