/** Builders for Notion-style `validation_error` messages (`body failed validation: <path> should be …`). */

const MAX_RENDERED_CHARS = 100;

/** Renders a received value the way Notion quotes it: JSON in backticks, `undefined` for a missing key. */
export function renderValue(value: unknown): string {
  const json = value === undefined ? 'undefined' : JSON.stringify(value);
  const text = json.length > MAX_RENDERED_CHARS ? `${json.slice(0, MAX_RENDERED_CHARS)}…` : json;
  return `\`${text}\``;
}

/** One clause: `<path> should be <expectation>, instead was \`<value>\`.` */
export function shouldBe(path: string, expectation: string, value: unknown): string {
  return `${path} should be ${expectation}, instead was ${renderValue(value)}.`;
}

/** A whole message for one failed clause. */
export function bodyFailedValidation(clause: string): string {
  return `body failed validation: ${clause}`;
}

/** A whole message when none of a union's alternatives is present: Notion lists each one ("Fix one:"). */
export function fixOne(paths: readonly string[]): string {
  return `body failed validation. Fix one:\n${paths.map((p) => shouldBe(p, 'defined', undefined)).join('\n')}`;
}

/** A whole message for a key that must not be there. */
export function shouldNotBePresent(path: string, value: unknown): string {
  return bodyFailedValidation(`${path} should be not present, instead was ${renderValue(value)}.`);
}

/** Renders a list of literals as `` `a`, `b`, or `c` ``. */
export function listLiterals(values: readonly string[]): string {
  const quoted = values.map((v) => `\`${v}\``);
  return quoted.length <= 1
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')}, or ${quoted.at(-1) ?? ''}`;
}
