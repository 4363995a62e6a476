/**
 * A seeded generator of realistic markdown documents in the canonical form: headings, paragraphs with
 * annotations and links, nested lists, to-dos, code, quotes, tables and dividers.
 */

/** A small seeded PRNG (mulberry32), so every run measures the same documents. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'sync engine notion page block database mirror replica cursor delta batch lease token pacer retry ' +
  'schema property relation rollup formula markdown paragraph heading list table code quote divider ' +
  'request response limit nesting children append update delete archive trash webhook event signal'
).split(' ');

/** Generate one document of about `targetBytes` bytes. */
export function generateDocument(targetBytes: number, seed = 42): string {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = (): string => {
    const parts: string[] = [];
    const n = 6 + Math.floor(rnd() * 14);
    for (let i = 0; i < n; i++) {
      const w = pick(WORDS);
      const r = rnd();
      if (r < 0.06) parts.push(`**${w}**`);
      else if (r < 0.11) parts.push(`*${w}*`);
      else if (r < 0.14) parts.push(`\`${w}\``);
      else if (r < 0.16) parts.push(`~~${w}~~`);
      else if (r < 0.2) parts.push(`[${w}](https://example.com/${w}/${Math.floor(rnd() * 1000)})`);
      else parts.push(w);
    }
    const s = parts.join(' ');
    return s.charAt(0).toUpperCase() + s.slice(1) + '.';
  };
  const paragraph = (): string => Array.from({ length: 2 + Math.floor(rnd() * 5) }, sentence).join(' ');
  const list = (depth: number, indent: string, ordered: boolean): string[] => {
    const lines: string[] = [];
    const n = 2 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      const marker = ordered ? `${i + 1}.` : rnd() < 0.25 ? `- [${rnd() < 0.5 ? 'x' : ' '}]` : '-';
      lines.push(`${indent}${marker} ${sentence()}`);
      if (depth < 4 && rnd() < 0.35) {
        const pad = ' '.repeat(ordered ? `${i + 1}. `.length : 2);
        lines.push(...list(depth + 1, indent + pad, rnd() < 0.3));
      }
    }
    return lines;
  };
  const table = (): string => {
    const cols = 2 + Math.floor(rnd() * 3);
    const rows = 2 + Math.floor(rnd() * 6);
    const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
    return [
      row(Array.from({ length: cols }, () => words(1))),
      row(Array.from({ length: cols }, () => '-')),
      ...Array.from({ length: rows }, () =>
        row(Array.from({ length: cols }, () => words(1 + Math.floor(rnd() * 3)))),
      ),
    ].join('\n');
  };
  const code = (): string => {
    const lines = Array.from(
      { length: 2 + Math.floor(rnd() * 8) },
      () => `const ${pick(WORDS)} = ${JSON.stringify(words(2))};`,
    );
    return ['```typescript', ...lines, '```'].join('\n');
  };

  const parts: string[] = [];
  let size = 0;
  let section = 0;
  while (size < targetBytes) {
    const r = rnd();
    let part: string;
    if (r < 0.1)
      part = `${'#'.repeat(1 + Math.floor(rnd() * 3))} ${words(2 + Math.floor(rnd() * 4))} ${section++}`;
    else if (r < 0.45) part = paragraph();
    else if (r < 0.65) part = list(1, '', rnd() < 0.3).join('\n');
    else if (r < 0.73) part = code();
    else if (r < 0.8) part = `> ${sentence()}`;
    else if (r < 0.88) part = table();
    else if (r < 0.92) part = '---';
    else part = paragraph();
    // Two lists in a row would be one list in markdown: keep them apart with a paragraph.
    const last = parts[parts.length - 1];
    if (last !== undefined && /^(-|\d+\.) /.test(last) && /^(-|\d+\.) /.test(part)) parts.push(paragraph());
    if (last === '---' && part === '---') continue;
    parts.push(part);
    size += part.length + 2;
  }
  return parts.join('\n\n') + '\n';
}
