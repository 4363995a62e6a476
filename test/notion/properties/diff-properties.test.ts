import { describe, expect, it } from 'vitest';
import { readPageProperties } from '../../../src/notion/properties/codec-registry.js';
import { diffProperties } from '../../../src/notion/properties/diff-properties.js';
import { pageWith, textItem } from './notion-fixtures.js';

describe(diffProperties, () => {
  const before = {
    Name: { text: 'A', richText: [textItem('A')] },
    Tags: ['x', 'y'],
    Count: 1,
    File: [{ type: 'file' as const, name: 'a.pdf', url: 'https://s3/a?sig=1', expiry_time: 't1' }],
  };

  it('returns nothing for equal values, ignoring rotated file URLs and text splits', () => {
    const after = {
      ...before,
      Name: { text: 'A', richText: [textItem(''), textItem('A')] },
      File: [{ type: 'file' as const, name: 'a.pdf', url: 'https://s3/a?sig=2', expiry_time: 't2' }],
    };
    expect(diffProperties(before, after)).toEqual([]);
  });

  it('returns the sorted names of changed, added and removed properties', () => {
    const { Count: _dropped, ...rest } = before;
    const after = {
      ...rest,
      Tags: ['y', 'x'],
      Name: { text: 'A', richText: [textItem('A', { annotations: { bold: true } })] },
      New: null,
    };
    expect(diffProperties(before, after)).toEqual(['Count', 'Name', 'New', 'Tags']);
  });

  it('compares whole pages read by readPageProperties', () => {
    const a = readPageProperties(pageWith({ Done: { id: 'c', type: 'checkbox', checkbox: false } }));
    const b = readPageProperties(pageWith({ Done: { id: 'c', type: 'checkbox', checkbox: true } }));
    expect(diffProperties(a, b)).toEqual(['Done']);
    expect(diffProperties(a, a)).toEqual([]);
  });
});
