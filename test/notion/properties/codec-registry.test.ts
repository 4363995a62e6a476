import type { DataSourceObjectResponse } from '@notionhq/client/build/src/api-endpoints.js';
import { describe, expect, it } from 'vitest';
import {
  InvalidValueError,
  NotFoundError,
  ReadOnlyPropertyError,
  UnsupportedPropertyError,
} from '../../../src/errors.js';
import {
  KNOWN_PROPERTY_TYPES,
  buildPropertyWrites,
  codecFor,
  readPageProperties,
} from '../../../src/notion/properties/codec-registry.js';
import type { PropertyValueResponse } from '../../../src/notion/properties/property-codec.js';
import { pageWith, simulateNotionWrite, textItem } from './notion-fixtures.js';

const schema = {
  Name: { type: 'title' },
  Notes: { type: 'rich_text' },
  Done: { type: 'checkbox' },
  Tags: { type: 'multi_select' },
  Due: { type: 'date' },
  Score: { type: 'formula' },
  Hologram: { type: 'hologram' },
} as const;

describe(codecFor, () => {
  it('has a codec of its own for every known type', () => {
    for (const type of KNOWN_PROPERTY_TYPES) expect(codecFor(type).type).toBe(type);
    expect(KNOWN_PROPERTY_TYPES).toHaveLength(24);
  });

  it('marks exactly the computed types read-only', () => {
    const readOnly = KNOWN_PROPERTY_TYPES.filter((t) => !codecFor(t).writable).sort();
    expect(readOnly).toEqual(
      [
        'button',
        'created_by',
        'created_time',
        'formula',
        'last_edited_by',
        'last_edited_time',
        'rollup',
        'unique_id',
      ].sort(),
    );
  });
});

describe(readPageProperties, () => {
  it('reads every property by name, unknown types as raw JSON with their type', () => {
    const page = pageWith({
      Name: { id: 'title', type: 'title', title: [textItem('Task')] },
      Done: { id: 'c', type: 'checkbox', checkbox: true },
      Hologram: { id: 'h', type: 'hologram', hologram: { depth: 2 } } as unknown as PropertyValueResponse,
    });
    expect(readPageProperties(page)).toEqual({
      Name: { text: 'Task', richText: [textItem('Task')] },
      Done: true,
      Hologram: { unknownType: 'hologram', raw: { depth: 2 } },
    });
  });
});

describe(buildPropertyWrites, () => {
  it('builds the properties of a create from plain values, skipping undefined', () => {
    const properties = buildPropertyWrites(schema, {
      Name: 'Write the report',
      Done: false,
      Tags: ['work'],
      Due: '2025-03-01',
      Notes: undefined,
    });
    expect(properties).toEqual({
      Name: { type: 'title', title: [{ type: 'text', text: { content: 'Write the report' } }] },
      Done: { type: 'checkbox', checkbox: false },
      Tags: { type: 'multi_select', multi_select: [{ name: 'work' }] },
      Due: { type: 'date', date: { start: '2025-03-01', end: null, time_zone: null } },
    });
  });

  it('accepts a data source schema as the SDK returns it', () => {
    const dsSchema: DataSourceObjectResponse['properties'] = {
      Name: { id: 'title', name: 'Name', description: null, type: 'title', title: {} },
    };
    expect(buildPropertyWrites(dsSchema, { Name: 'x' })).toHaveProperty('Name.type', 'title');
  });

  it('names an unknown property and lists the known ones', () => {
    expect(() => buildPropertyWrites(schema, { Nmae: 'x' })).toThrow(NotFoundError);
    expect(() => buildPropertyWrites(schema, { Nmae: 'x' })).toThrow(
      /"Nmae" is not in the data source's schema\. Known properties: "Name", "Notes"/,
    );
    // Object prototype keys are not properties.
    expect(() => buildPropertyWrites(schema, { toString: 'x' })).toThrow(NotFoundError);
  });

  it('reports a wrong value with the property, its type and what was expected', () => {
    let error: unknown;
    try {
      buildPropertyWrites(schema, { Done: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error).toMatchObject({ property: 'Done', propertyType: 'checkbox' });
    expect((error as Error).message).toBe('Property "Done" (checkbox): expected a boolean, got a string.');
  });

  it('refuses read-only and unknown types', () => {
    expect(() => buildPropertyWrites(schema, { Score: 3 })).toThrow(ReadOnlyPropertyError);
    expect(() => buildPropertyWrites(schema, { Hologram: {} })).toThrow(UnsupportedPropertyError);
  });

  it('keeps formatting on update when the current page is given', () => {
    const current = pageWith({
      Notes: { id: 'n', type: 'rich_text', rich_text: [textItem('bold', { annotations: { bold: true } })] },
    }).properties;
    const write = buildPropertyWrites(schema, { Notes: 'bold' }, { current });
    expect(simulateNotionWrite(write['Notes']!)).toEqual(
      current['Notes']!.type === 'rich_text' ? { ...current['Notes'], id: 'prop' } : null,
    );
    expect(() => buildPropertyWrites(schema, { Notes: 'plain' }, { current })).toThrow(InvalidValueError);
    expect(
      buildPropertyWrites(schema, { Notes: 'plain' }, { current, allowFormattingLoss: true }),
    ).toHaveProperty('Notes');
  });
});
