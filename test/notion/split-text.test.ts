import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_ITEM_CHARS } from '../../src/notion/limits.js';
import { splitText } from '../../src/notion/split-text.js';

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

describe(splitText, () => {
  it('leaves text within the limit whole, and gives [] for ""', () => {
    expect(splitText('a'.repeat(MAX_TEXT_ITEM_CHARS), MAX_TEXT_ITEM_CHARS)).toEqual([
      'a'.repeat(MAX_TEXT_ITEM_CHARS),
    ]);
    expect(splitText('', MAX_TEXT_ITEM_CHARS)).toEqual([]);
  });

  it('cuts text without spaces at exactly the limit', () => {
    const pieces = splitText('x'.repeat(4_001), MAX_TEXT_ITEM_CHARS);
    expect(pieces.map((p) => p.length)).toEqual([2_000, 2_000, 1]);
  });

  it('ends pieces after the last space that fits, keeping words whole', () => {
    const word = 'abcdefghi '; // 10 characters
    const text = word.repeat(450); // 4,500 characters
    const pieces = splitText(text, MAX_TEXT_ITEM_CHARS);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces.slice(0, -1)) {
      expect(piece.length).toBeLessThanOrEqual(MAX_TEXT_ITEM_CHARS);
      expect(piece.endsWith(' ')).toBe(true);
    }
    // A word straddling the 2,000 boundary moves to the next piece.
    const shifted = splitText(`${'y'.repeat(1_995)} ${'z'.repeat(10)}`, MAX_TEXT_ITEM_CHARS);
    expect(shifted).toEqual([`${'y'.repeat(1_995)} `, 'z'.repeat(10)]);
  });

  it('never splits a surrogate pair at the boundary', () => {
    const text = `${'a'.repeat(1_999)}😀${'b'.repeat(10)}`; // the emoji occupies units 1,999 and 2,000
    const pieces = splitText(text, MAX_TEXT_ITEM_CHARS);
    expect(pieces).toEqual(['a'.repeat(1_999), `😀${'b'.repeat(10)}`]);
    const emojis = '😀'.repeat(1_500); // 3,000 units, no spaces
    const emojiPieces = splitText(emojis, MAX_TEXT_ITEM_CHARS);
    expect(emojiPieces.join('')).toBe(emojis);
    expect(emojiPieces.every((p) => p.length <= MAX_TEXT_ITEM_CHARS && p.length % 2 === 0)).toBe(true);
  });

  it('for any text: pieces join back exactly, fit the limit, and no pair is split (property)', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'b', ' ', '\n', 'é', '😀', '👍🏽', '中'),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 400 }), fc.integer({ min: 2, max: 40 }), (units, max) => {
        const text = units.join('');
        const pieces = splitText(text, max);
        expect(pieces.join('')).toBe(text);
        let boundary = 0;
        for (const piece of pieces) {
          expect(piece.length).toBeGreaterThan(0);
          expect(piece.length).toBeLessThanOrEqual(max);
          boundary += piece.length;
          // No boundary falls between the high and the low half of a pair.
          expect(isHigh(text.charCodeAt(boundary - 1)) && isLow(text.charCodeAt(boundary))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a limit that cannot hold a surrogate pair', () => {
    expect(() => splitText('abc', 1)).toThrow(RangeError);
  });
});
