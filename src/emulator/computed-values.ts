import { isObject, type JsonObject } from './json.js';
import { plainText } from './rich-text.js';

/**
 * Formulas and rollups, computed when a page is read or queried.
 *
 * Formulas: the emulator evaluates a small documented subset of Notion's formula language: number,
 * string and boolean literals, `prop("Name")`, `+ - * /` with the usual precedence, unary minus and
 * parentheses (`+` concatenates when either side is a string). Anything else yields Notion's value
 * shape with a `null` payload: `{type:"string", string:null}`.
 *
 * Rollups: `count`, `count_values`, `empty`, `not_empty`, `unique`, `percent_empty`, `percent_not_empty`,
 * `sum`, `average`, `median`, `min`, `max`, `range`, `checked`, `unchecked`, `percent_checked`,
 * `percent_unchecked` (→ number), `earliest_date`, `latest_date`, `date_range` (→ date) and
 * `show_original`/`show_unique` (→ array). Others give `{type:"unsupported"}`.
 */

type Scalar = number | string | boolean | JsonObject | null;

/** A plain value of a stored property value, as a formula sees it. */
export function scalarOf(prop: JsonObject | undefined): Scalar {
  if (!prop) return null;
  const type = prop.type as string;
  const v = prop[type];
  switch (type) {
    case 'title':
    case 'rich_text':
      return plainText(v);
    case 'number':
    case 'checkbox':
    case 'url':
    case 'email':
    case 'phone_number':
      return v as Scalar;
    case 'select':
    case 'status':
      return isObject(v) ? (v.name as string) : null;
    case 'multi_select':
      return Array.isArray(v) ? v.map((o: JsonObject) => o.name as string).join(',') : null;
    case 'date':
      return isObject(v) ? v : null;
    case 'created_time':
    case 'last_edited_time':
      return { start: v as string, end: null, time_zone: null };
    case 'unique_id':
      return isObject(v) ? (v.number as number | null) : null;
    case 'formula': {
      const f = v as JsonObject;
      return (f[f.type as string] as Scalar) ?? null;
    }
    default:
      return null;
  }
}

class FormulaError extends Error {}

/** Evaluates a formula expression against a page's properties (see the module comment for the subset). */
export function evaluateFormula(expression: string, props: Record<string, JsonObject>): JsonObject {
  let result: Scalar;
  try {
    result = new Parser(expression, props).parse();
  } catch {
    return { type: 'string', string: null };
  }
  if (typeof result === 'number')
    return Number.isFinite(result) ? { type: 'number', number: result } : { type: 'number', number: null };
  if (typeof result === 'boolean') return { type: 'boolean', boolean: result };
  if (typeof result === 'string') return { type: 'string', string: result };
  if (isObject(result)) return { type: 'date', date: result };
  return { type: 'string', string: null };
}

class Parser {
  #pos = 0;
  constructor(
    readonly src: string,
    readonly props: Record<string, JsonObject>,
  ) {}

  parse(): Scalar {
    const v = this.#expr();
    this.#ws();
    if (this.#pos < this.src.length) throw new FormulaError('trailing input');
    return v;
  }

  #ws(): void {
    while (/\s/.test(this.src[this.#pos] ?? '')) this.#pos++;
  }

  #expr(): Scalar {
    let left = this.#term();
    for (;;) {
      this.#ws();
      const op = this.src[this.#pos];
      if (op !== '+' && op !== '-') return left;
      this.#pos++;
      const right = this.#term();
      if (op === '+' && (typeof left === 'string' || typeof right === 'string'))
        left = `${text(left)}${text(right)}`;
      else left = op === '+' ? num(left) + num(right) : num(left) - num(right);
    }
  }

  #term(): Scalar {
    let left = this.#factor();
    for (;;) {
      this.#ws();
      const op = this.src[this.#pos];
      if (op !== '*' && op !== '/') return left;
      this.#pos++;
      const right = this.#factor();
      left = op === '*' ? num(left) * num(right) : num(left) / num(right);
    }
  }

  #factor(): Scalar {
    this.#ws();
    const rest = this.src.slice(this.#pos);
    let m: RegExpExecArray | null;
    if ((m = /^-?\d+(\.\d+)?/.exec(rest)) && !rest.startsWith('-')) {
      this.#pos += m[0].length;
      return Number(m[0]);
    }
    if (rest.startsWith('-')) {
      this.#pos++;
      return -num(this.#factor());
    }
    if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) {
      this.#pos += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    if ((m = /^(true|false)\b/.exec(rest))) {
      this.#pos += m[0].length;
      return m[1] === 'true';
    }
    if ((m = /^prop\(\s*"((?:[^"\\]|\\.)*)"\s*\)/.exec(rest))) {
      this.#pos += m[0].length;
      const name = JSON.parse(`"${m[1] as string}"`) as string;
      if (!(name in this.props)) throw new FormulaError(`no property ${name}`);
      return scalarOf(this.props[name]);
    }
    if (rest.startsWith('(')) {
      this.#pos++;
      const v = this.#expr();
      this.#ws();
      if (this.src[this.#pos] !== ')') throw new FormulaError('expected )');
      this.#pos++;
      return v;
    }
    throw new FormulaError(`unsupported formula syntax at ${this.#pos}`);
  }
}

function num(v: Scalar): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  throw new FormulaError('not a number');
}

function text(v: Scalar): string {
  if (v === null) return '';
  if (isObject(v)) return String(v.start);
  return String(v);
}

function isEmptyValue(prop: JsonObject): boolean {
  const v = prop[prop.type as string];
  if (v === null || v === undefined || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** Computes a rollup over the property values of the related pages (all of them, untruncated). */
export function computeRollup(fn: string, values: JsonObject[]): JsonObject {
  const numbers = values.map((v) => scalarOf(v)).filter((s): s is number => typeof s === 'number');
  const dates = values
    .map((v) => scalarOf(v))
    .filter((s): s is JsonObject => isObject(s) && typeof s.start === 'string')
    .map((d) => d.start as string)
    .sort();
  const n = (x: number | null): JsonObject => ({ type: 'number', number: x, function: fn });
  const empties = values.filter(isEmptyValue).length;
  const checked = values.filter((v) => v.type === 'checkbox' && v.checkbox === true).length;
  const pct = (k: number): number | null => (values.length === 0 ? 0 : k / values.length);
  switch (fn) {
    case 'count':
      return n(values.length);
    case 'count_values':
      return n(
        values.reduce(
          (acc, v) =>
            acc +
            (Array.isArray(v[v.type as string])
              ? (v[v.type as string] as unknown[]).length
              : isEmptyValue(v)
                ? 0
                : 1),
          0,
        ),
      );
    case 'empty':
      return n(empties);
    case 'not_empty':
      return n(values.length - empties);
    case 'unique':
      return n(new Set(values.map((v) => JSON.stringify(scalarOf(v)))).size);
    case 'percent_empty':
      return n(pct(empties));
    case 'percent_not_empty':
      return n(pct(values.length - empties));
    case 'sum':
      return n(numbers.reduce((a, b) => a + b, 0));
    case 'average':
      return n(numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null);
    case 'median': {
      if (!numbers.length) return n(null);
      const s = [...numbers].sort((a, b) => a - b);
      const mid = Math.floor(s.length / 2);
      return n(s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2);
    }
    case 'min':
      return n(numbers.length ? Math.min(...numbers) : null);
    case 'max':
      return n(numbers.length ? Math.max(...numbers) : null);
    case 'range':
      return n(numbers.length ? Math.max(...numbers) - Math.min(...numbers) : null);
    case 'checked':
      return n(checked);
    case 'unchecked':
      return n(values.length - checked);
    case 'percent_checked':
      return n(pct(checked));
    case 'percent_unchecked':
      return n(pct(values.length - checked));
    case 'earliest_date':
      return {
        type: 'date',
        date: dates.length ? { start: dates[0], end: null, time_zone: null } : null,
        function: fn,
      };
    case 'latest_date':
      return {
        type: 'date',
        date: dates.length ? { start: dates[dates.length - 1], end: null, time_zone: null } : null,
        function: fn,
      };
    case 'date_range':
      return {
        type: 'date',
        date: dates.length ? { start: dates[0], end: dates[dates.length - 1], time_zone: null } : null,
        function: fn,
      };
    case 'show_original':
      return { type: 'array', array: values.map(stripId), function: fn };
    case 'show_unique': {
      const seen = new Set<string>();
      const arr = values.filter((v) => {
        const k = JSON.stringify(v[v.type as string]);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      return { type: 'array', array: arr.map(stripId), function: fn };
    }
    default:
      return { type: 'unsupported', unsupported: {}, function: fn };
  }
}

function stripId(v: JsonObject): JsonObject {
  const { id: _id, ...rest } = v;
  return rest;
}
