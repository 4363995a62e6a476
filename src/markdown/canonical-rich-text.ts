/**
 * Rich text → canonical markdown, straight from the rich-text JSON (response or normal form): adjacent
 * items of one format are merged as `normalizeRichText` merges them, and the phrasing is written as
 * remark-stringify would write it, where plain-phrasing.ts proves that it needs no escaping. Runs that
 * carry one wrapper (bold, italic, strikethrough, code, a link, an equation, a mention) are written
 * here; nested or HTML-wrapped formatting goes through `richTextToPhrasing` and the mdast rules.
 * @module
 */
import { isRecord, normalizeRichItem, normalizeRichText } from './block-node.js';
import {
  isPlainUrl,
  plainAttentionText,
  plainCodeSpan,
  plainMathSpan,
  plainPhrasing,
  plainText,
} from './plain-phrasing.js';
import { mentionUrl, richTextToPhrasing } from './rich-text-mdast.js';

type Json = Record<string, unknown>;

/** Formats of a merged rich-text run the direct path writes; anything else is handed down. */
type Format = 'plain' | 'bold' | 'italic' | 'strike' | 'code' | 'link' | 'equation' | 'mention';
const ATTENTION_MARKER = { bold: '**', italic: '*', strike: '~~' } as const;

/** The run format of an item's annotations; undefined when more than one wrapper (or an HTML one) applies. */
function formatOf(a: unknown): 'plain' | 'bold' | 'italic' | 'strike' | 'code' | undefined {
  if (!isRecord(a)) return 'plain';
  if (a['underline'] === true || (typeof a['color'] === 'string' && a['color'] !== 'default'))
    return undefined;
  const bold = a['bold'] === true;
  const italic = a['italic'] === true;
  const strike = a['strikethrough'] === true;
  const code = a['code'] === true;
  if (Number(bold) + Number(italic) + Number(strike) + Number(code) > 1) return undefined;
  return bold ? 'bold' : italic ? 'italic' : strike ? 'strike' : code ? 'code' : 'plain';
}

/**
 * Rich text as merged runs (what `normalizeRichText` would give), for the direct path: false when an
 * item needs the general path (nested formatting, colours, underline, a formatted link, a line break
 * inside formatting, a malformed item).
 */
class Runs {
  format: Format[] = [];
  text: string[] = [];
  url: string[] = [];

  read(raw: unknown): boolean {
    this.format.length = this.text.length = this.url.length = 0;
    if (!Array.isArray(raw)) return true;
    for (const r of raw as unknown[]) {
      if (!isRecord(r)) return false;
      let format: Format | undefined = formatOf(r['annotations']);
      if (format === undefined) return false;
      const equation = r['equation'];
      if (isRecord(equation)) {
        if (format !== 'plain' || typeof equation['expression'] !== 'string') return false;
        this.push('equation', equation['expression'], '');
        continue;
      }
      if (isRecord(r['mention'])) {
        const item = normalizeRichItem(r);
        if (format !== 'plain' || item.type !== 'mention') return false;
        this.push('mention', item.plain_text ?? '', mentionUrl(item.mention));
        continue;
      }
      const text = r['text'];
      if (!isRecord(text) || typeof text['content'] !== 'string') return false;
      const content = text['content'];
      if (content === '') continue;
      let url = '';
      const link = text['link'];
      if (isRecord(link) && typeof link['url'] === 'string') {
        if (format !== 'plain') return false;
        format = 'link';
        url = link['url'];
      }
      if (format !== 'plain' && content.includes('\n')) return false;
      const last = this.format.length - 1;
      // Text of one format and link merges (equations and mentions never do: `format` is a text format here).
      if (last >= 0 && this.format[last] === format && this.url[last] === url) this.text[last] += content;
      else this.push(format, content, url);
    }
    return true;
  }

  private push(format: Format, text: string, url: string): void {
    this.format.push(format);
    this.text.push(text);
    this.url.push(url);
  }
}

/** Kinds of the flat phrasing the direct path writes (mdast phrasing nodes, one level deep). */
type Kind = 'text' | 'break' | 'br' | 'attention' | 'code' | 'math' | 'link';
/** First and last character of each kind's output (text and attention: from the value and the marker). */
const EDGES: Record<Kind, string> = {
  text: '',
  break: '\\\n',
  br: '<>',
  attention: '',
  code: '``',
  math: '$$',
  link: '[)',
};

/** The flat phrasing of merged runs, as `richTextToPhrasing` would build it for single-wrapper runs. */
class Phrasing {
  kind: Kind[] = [];
  value: string[] = [];
  /** The marker of an attention node, the URL of a link. */
  extra: string[] = [];

  build(runs: Runs): void {
    this.kind.length = this.value.length = this.extra.length = 0;
    const n = runs.format.length;
    for (let k = 0; k < n; k++) {
      const format = runs.format[k] as Format;
      const text = runs.text[k] as string;
      switch (format) {
        case 'plain':
          this.plain(text, k === n - 1);
          break;
        case 'bold':
        case 'italic':
        case 'strike':
          this.push('attention', text, ATTENTION_MARKER[format]);
          break;
        case 'code':
          this.push('code', text, '');
          break;
        case 'equation':
          this.push('math', text, '');
          break;
        default:
          this.push('link', text, runs.url[k] as string);
      }
    }
  }

  /** Plain text: lines joined by hard breaks; newlines that end the whole text become `<br>`. */
  private plain(content: string, last: boolean): void {
    let end = content.length;
    if (last) while (end > 0 && content.charCodeAt(end - 1) === 10) end--;
    let start = 0;
    for (;;) {
      const nl = content.indexOf('\n', start);
      const stop = nl < 0 || nl >= end ? end : nl;
      if (stop > start) this.push('text', content.slice(start, stop), '');
      if (stop === end) break;
      this.push('break', '', '');
      start = stop + 1;
    }
    for (let i = end; i < content.length; i++) this.push('br', '<br>', '');
  }

  private push(kind: Kind, value: string, extra: string): void {
    this.kind.push(kind);
    this.value.push(value);
    this.extra.push(extra);
  }

  /** The first (`end` 0) or last (`end` 1) character the node at `i` writes, as mdast-util-to-markdown sees it. */
  edge(i: number, end: 0 | 1): string {
    const kind = this.kind[i] as Kind;
    if (kind === 'text') {
      const v = this.value[i] as string;
      return v.charAt(end === 0 ? 0 : v.length - 1);
    }
    if (kind === 'attention') return (this.extra[i] as string).charAt(0);
    return EDGES[kind].charAt(end);
  }

  /** The phrasing written verbatim (as `plainPhrasing` would), or undefined when it needs escaping. */
  write(before: string, after: string): string | undefined {
    const n = this.kind.length;
    let out = '';
    let lineStart = true;
    for (let i = 0; i < n; i++) {
      const prev = i > 0 ? this.edge(i - 1, 1) : before;
      const next = i + 1 < n ? this.edge(i + 1, 0) : after;
      const value = this.value[i] as string;
      let piece: string | undefined;
      switch (this.kind[i]) {
        case 'text':
          piece = plainText(value, prev, next, lineStart, i === n - 1);
          break;
        case 'break':
          piece = '\\\n';
          break;
        case 'br':
          piece = value;
          break;
        case 'attention':
          piece = plainAttentionText(value, this.extra[i] as string, prev, next);
          break;
        case 'code':
          piece = plainCodeSpan(value);
          break;
        case 'math':
          piece = plainMathSpan(value);
          break;
        default: {
          const url = this.extra[i] as string;
          const text =
            value === '' || !isPlainUrl(url) ? undefined : plainText(value, '[', ']', false, false);
          piece = text === undefined ? undefined : '[' + text + '](' + url + ')';
        }
      }
      if (piece === undefined) return undefined;
      out += piece;
      lineStart = this.kind[i] === 'break';
    }
    return out;
  }
}

/** Writes rich text verbatim, or says that it needs escaping (then remark writes it). */
export class RichTextWriter {
  private readonly runs = new Runs();
  private readonly phrasing = new Phrasing();

  /**
   * The rich text written verbatim between the characters `before` and `after`, at the start of a
   * line, ending the block; undefined when remark would escape anything in it.
   */
  write(raw: unknown, before: string, after: string): string | undefined {
    if (this.runs.read(raw)) {
      this.phrasing.build(this.runs);
      return this.phrasing.write(before, after);
    }
    return plainPhrasing(richTextToPhrasing(normalizeRichText(raw)), before, after, true, true);
  }
}

// ——— What rich text says (for well-formed items, in either shape) ———

/** Whether every rich-text item is one `normalizeRichItem` reads as written (else the block is normalised first). */
export function wellFormed(raw: unknown): boolean {
  if (!Array.isArray(raw)) return true;
  for (const r of raw as unknown[]) {
    if (!isRecord(r)) return false;
    const equation = r['equation'];
    if (isRecord(equation)) {
      if (typeof equation['expression'] !== 'string') return false;
    } else if (!isRecord(r['mention'])) {
      const text = r['text'];
      if (!isRecord(text) || typeof text['content'] !== 'string') return false;
    }
  }
  return true;
}

function items(raw: unknown): readonly Json[] {
  return Array.isArray(raw) ? (raw as Json[]) : [];
}

function contentOf(r: Json): string | undefined {
  const text = r['text'];
  return isRecord(r['equation']) || isRecord(r['mention']) || !isRecord(text)
    ? undefined
    : (text['content'] as string);
}

/** Whether the normal form of (well-formed) rich text has any item. */
export function hasText(raw: unknown): boolean {
  return items(raw).some((r) => contentOf(r) !== '');
}

export function hasNewline(raw: unknown): boolean {
  return items(raw).some((r) => contentOf(r)?.includes('\n') === true);
}

/** The concatenated text of the text items. */
export function plainOf(raw: unknown): string {
  let out = '';
  for (const r of items(raw)) out += contentOf(r) ?? '';
  return out;
}

/** Whether every non-empty item is unformatted, unlinked text (code block text). */
export function unformatted(raw: unknown): boolean {
  return items(raw).every((r) => {
    const content = contentOf(r);
    if (content === '') return true;
    const link = (r['text'] as Json | undefined)?.['link'];
    return (
      content !== undefined &&
      formatOf(r['annotations']) === 'plain' &&
      !(isRecord(link) && typeof link['url'] === 'string')
    );
  });
}
