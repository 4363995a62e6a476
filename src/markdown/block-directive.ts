/**
 * The one canonical form for what plain markdown cannot say: an HTML comment directive.
 *
 * - Leaf: `<!-- notion:bookmark {"url":"…"} /-->`
 * - Container: `<!-- notion:callout {"icon":…} -->`, then the block's own rich text as one paragraph
 *   (absent when the attributes say `"rich_text":[]`), then its children as markdown, then
 *   `<!-- /notion:callout -->`.
 *
 * The attribute JSON is the block's payload in request shape minus `rich_text` and `children`.
 * `>` is written as `\u003e` so that the JSON can never close the comment.
 */

/** A parsed directive comment. */
export type Directive =
  | { kind: 'open'; type: string; attrs: Record<string, unknown>; selfClosing: boolean }
  | { kind: 'close'; type: string };

const OPEN = /^<!--\s*notion:([a-z0-9_]+)(?:\s+(\{[\s\S]*\}))?\s*(\/)?-->$/;
const CLOSE = /^<!--\s*\/notion:([a-z0-9_]+)\s*-->$/;

/** Render an opening (or self-closing) directive. */
export function openDirective(type: string, attrs: Record<string, unknown>, selfClosing: boolean): string {
  const json = Object.keys(attrs).length === 0 ? '' : ` ${JSON.stringify(attrs).replace(/>/g, '\\u003e')}`;
  return `<!-- notion:${type}${json} ${selfClosing ? '/' : ''}-->`;
}

/** Render a closing directive. */
export function closeDirective(type: string): string {
  return `<!-- /notion:${type} -->`;
}

/** Parse an HTML node's value as a directive; undefined for any other HTML. */
export function parseDirective(html: string): Directive | undefined {
  const v = html.trim();
  const close = CLOSE.exec(v);
  if (close) return { kind: 'close', type: close[1] as string };
  const open = OPEN.exec(v);
  if (!open) return undefined;
  let attrs: Record<string, unknown> = {};
  if (open[2] !== undefined) {
    try {
      const parsed: unknown = JSON.parse(open[2]);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        attrs = parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return { kind: 'open', type: open[1] as string, attrs, selfClosing: open[3] === '/' };
}
