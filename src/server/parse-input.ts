import type { Context } from 'hono';
import type { z } from 'zod';
import { redactValue } from '../logger.js';
import { ServerError } from './server-error.js';

/**
 * Validates `value` with a zod schema and returns the parsed value. @throws ServerError `invalid_request`
 * whose message and `issues` name each field at fault (`limit`, `where[0].column`).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.reduce<string>(
      (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? String(p) : `${acc}.${String(p)}`),
      '',
    ),
    message: i.message,
  }));
  throw new ServerError(
    'invalid_request',
    `Invalid ${what}: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}.`,
    { issues, hint: 'Fix the fields named above and send the request again.' },
  );
}

/** Answers JSON after a last pass of secret redaction (DESIGN invariant 8). */
export function redactedJson(c: Context, value: unknown, status: 200 | 202 = 200): Response {
  return c.json(redactValue(value) as object, status);
}
