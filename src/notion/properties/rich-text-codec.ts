import { createTextCodec } from './text-codec-factory.js';

/**
 * `rich_text`: reads `{ text, richText }` (see `RichTextPlain`); writes a string, `{ text, richText }` or
 * rich-text items, split to 2,000 characters per item and refused over 100 items. `null` clears.
 */
export const richTextCodec = createTextCodec('rich_text');
