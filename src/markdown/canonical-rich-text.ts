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
  // Reused across calls: entries past `count` are stale.
  format: Format[] = [];
  text: string[] = [];
  url: string[] = [];
  count = 0;

  read(raw: unknown): boolean {
    this.count = 0;
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
      const last = this.count - 1;
      // Text of one format and link merges (equations and mentions never do: `format` is a text format here).
      if (last >= 0 && this.format[last] === format && this.url[last] === url) this.text[last] += content;
      else this.push(format, content, url);
    }
    return true;
  }

  private push(format: Format, text: string, url: string): void {
    this.format[this.count] = format;
    this.text[this.count] = text;
    this.url[this.count] = url;
    this.count++;
  }
}

/** First character each run format writes (plain text: from its value). */
const FIRST_EDGE: Record<Format, string> = {
  plain: '',
  bold: '*',
  italic: '*',
  strike: '~',
  code: '`',
  equation: '$',
  link: '[',
  mention: '[',
};
/** Last character each run format writes (plain text: from its value). */
const LAST_EDGE: Record<Format, string> = { ...FIRST_EDGE, link: ')', mention: ')' };

/** Writes rich text verbatim, or says that it needs escaping (then remark writes it). */
export class RichTextWriter {
  private readonly runs = new Runs();
  /** Whether the last text written spans several lines (a hard break, or text remark wrote). */
  multiline = false;

  /**
   * The rich text written verbatim between the characters `before` and `after`, at the start of a
   * line, ending the block; undefined when remark would escape anything in it.
   */
  write(raw: unknown, before: string, after: string): string | undefined {
    this.multiline = false;
    if (this.runs.read(raw)) return this.direct(before, after);
    const text = plainPhrasing(richTextToPhrasing(normalizeRichText(raw)), before, after, true, true);
    this.multiline = text?.includes('\n') === true;
    return text;
  }

  /**
   * The merged runs as mdast phrasing, written as `plainPhrasing` writes it: each run is one node
   * (plain text: its lines joined by hard breaks, and `<br>` for newlines that end the whole text),
   * checked against the characters written around it.
   */
  private direct(before: string, after: string): string | undefined {
    const { format: formats, text: texts, url: urls, count } = this.runs;
    let out = '';
    let prev = before;
    let lineStart = true;
    for (let k = 0; k < count; k++) {
      const format = formats[k] as Format;
      const text = texts[k] as string;
      const next = k + 1 < count ? this.firstEdge(k + 1) : after;
      let piece: string | undefined;
      switch (format) {
        case 'plain': {
          const last = k === count - 1;
          let end = text.length;
          if (last) while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
          let start = 0;
          for (;;) {
            const nl = text.indexOf('\n', start);
            const stop = nl < 0 || nl >= end ? end : nl;
            if (stop > start) {
              const line = start === 0 && stop === text.length ? text : text.slice(start, stop);
              const following = stop < end ? '\\' : end < text.length ? '<' : next;
              const piece = plainText(line, prev, following, lineStart, last && stop === text.length);
              if (piece === undefined) return undefined;
              out += piece;
              prev = line.charAt(line.length - 1);
              lineStart = false;
            }
            if (stop === end) break;
            out += '\\\n';
            prev = '\n';
            lineStart = true;
            this.multiline = true;
            start = stop + 1;
          }
          for (let i = end; i < text.length; i++) {
            out += '<br>';
            prev = '>';
            lineStart = false;
          }
          continue;
        }
        case 'bold':
        case 'italic':
        case 'strike':
          piece = plainAttentionText(text, ATTENTION_MARKER[format], prev, next);
          break;
        case 'code':
          piece = plainCodeSpan(text);
          break;
        case 'equation':
          piece = plainMathSpan(text);
          break;
        default: {
          const url = urls[k] as string;
          const inner = text === '' || !isPlainUrl(url) ? undefined : plainText(text, '[', ']', false, false);
          piece = inner === undefined ? undefined : '[' + inner + '](' + url + ')';
        }
      }
      if (piece === undefined) return undefined;
      out += piece;
      prev = LAST_EDGE[format];
      lineStart = false;
    }
    return out;
  }

  /** The first character run `k` writes. */
  private firstEdge(k: number): string {
    const format = this.runs.format[k] as Format;
    if (format !== 'plain') return FIRST_EDGE[format];
    const text = this.runs.text[k] as string;
    if (text.charCodeAt(0) !== 10) return text.charAt(0);
    // Leading newlines: a hard break, unless the text is the last run and only newlines (`<br>`).
    return k === this.runs.count - 1 && /^\n+$/.test(text) ? '<' : '\\';
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
