import type { RichTextItemRequest } from '@notionhq/client/build/src/api-endpoints.js';

/** Text annotations a demo rich-text run may set; omitted ones default to false / `default`. */
export interface DemoAnnotations {
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
  code?: boolean;
  color?: string;
}

/** A plain or annotated text run, optionally linked. */
export function text(content: string, annotations: DemoAnnotations = {}, link?: string): RichTextItemRequest {
  return {
    type: 'text',
    text: { content, link: link === undefined ? null : { url: link } },
    annotations,
  } as RichTextItemRequest;
}

/** An inline equation. */
export function inlineEquation(expression: string): RichTextItemRequest {
  return { type: 'equation', equation: { expression } } as RichTextItemRequest;
}

/** A mention of a user, page, database or date. */
export function mention(kind: 'user' | 'page' | 'database' | 'date', idOrStart: string): RichTextItemRequest {
  const target = kind === 'date' ? { start: idOrStart } : { id: idOrStart };
  return { type: 'mention', mention: { type: kind, [kind]: target } } as unknown as RichTextItemRequest;
}

/** Rich text of one plain run. */
export function plain(content: string): RichTextItemRequest[] {
  return [text(content)];
}
