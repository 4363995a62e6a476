// Imported before the registry on purpose: rollup-codec and codec-registry import each other, and loading
// the rollup codec first must still work.
import { rollupCodec } from '../../../src/notion/properties/rollup-codec.js';
import { describe, expect, it } from 'vitest';
import { ReadOnlyPropertyError } from '../../../src/errors.js';
import type { PropertyValueResponse } from '../../../src/notion/properties/property-codec.js';
import { textItem } from './notion-fixtures.js';

describe('rollupCodec', () => {
  it('reads an array rollup item by item with each item’s own codec', () => {
    const value: PropertyValueResponse = {
      id: 'ro',
      type: 'rollup',
      rollup: {
        type: 'array',
        function: 'show_original',
        array: [
          { type: 'relation', relation: [{ id: 'p-1' }] },
          { type: 'rich_text', rich_text: [textItem('a')] },
          { type: 'checkbox', checkbox: true },
          { type: 'hologram', hologram: { x: 1 } } as never,
        ],
      },
    };
    expect(rollupCodec.read(value)).toEqual([
      ['p-1'],
      { text: 'a', richText: [textItem('a')] },
      true,
      { unknownType: 'hologram', raw: { x: 1 } },
    ]);
  });

  it('reads incomplete results as null and refuses writes', () => {
    const value = {
      id: 'ro',
      type: 'rollup',
      rollup: { type: 'incomplete', incomplete: {}, function: 'sum' },
    } as unknown as PropertyValueResponse;
    expect(rollupCodec.read(value)).toBeNull();
    expect(() => rollupCodec.write(3, { propertyName: 'Total' })).toThrow(ReadOnlyPropertyError);
  });
});
