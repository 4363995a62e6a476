/**
 * Splits text into pieces that each fit one rich-text item.
 * @module
 */

const WHITESPACE = /\s/u;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Splits `text` into pieces of at most `maxChars` UTF-16 code units (the unit Notion's 2,000-character limit
 * is measured in; `MAX_TEXT_ITEM_CHARS`). Joining the pieces gives back `text` exactly.
 *
 * - A piece ends just after the last whitespace that fits, so words stay whole where the text has spaces.
 * - A word longer than `maxChars` is cut at `maxChars`, moved back by one unit if the cut would fall
 *   between the two halves of a surrogate pair (an emoji, say): a pair is never split.
 * - `""` gives `[]`.
 *
 * @param maxChars - at least 2, so that a surrogate pair always fits.
 */
export function splitText(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 2) {
    throw new RangeError(`splitText: maxChars must be an integer ≥ 2, got ${maxChars}`);
  }
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    let cut = maxChars;
    if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    // Prefer to end the piece after whitespace, keeping words whole. Whitespace is never part of a
    // surrogate pair, so a break after it is always safe.
    for (let i = cut - 1; i > 0; i--) {
      if (WHITESPACE.test(rest.charAt(i))) {
        cut = i + 1;
        break;
      }
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
