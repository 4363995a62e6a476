import { InvalidValueError } from '../../errors.js';
import { checkStringLimit, expectType, invalidValue } from './codec-helpers.js';
import type { PropertyCodec, WriteContext } from './property-codec.js';

/**
 * Characters in a select, multi_select or status option name. Notion answers `…name.length should be ≤ 100`
 * (field report: dvanoni/notero#427). Belongs in `src/notion/limits.ts`.
 */
export const MAX_OPTION_NAME_CHARS = 100;

/**
 * Checks one option name for a write: a string, and (for select and multi_select, whose unknown names
 * create options) without a comma, which Notion refuses in option names ("Invalid select option, commas not
 * allowed"); at most {@link MAX_OPTION_NAME_CHARS} characters.
 * @returns the name, or null for an empty name (which clears a select).
 */
export function checkOptionName(
  input: unknown,
  ctx: WriteContext,
  type: string,
  refuseComma: boolean,
): string | null {
  if (typeof input !== 'string') throw invalidValue(ctx, type, 'an option name (string) or null', input);
  if (input.trim() === '') return null;
  checkStringLimit(ctx, type, input, MAX_OPTION_NAME_CHARS, 'an option name');
  if (refuseComma && input.includes(',')) {
    throw new InvalidValueError(ctx.propertyName, type, 'option names cannot contain a comma.', {
      hint: `Remove the comma from the option name written to "${ctx.propertyName}".`,
    });
  }
  return input;
}

/**
 * `select`: reads the option name or `null`; writes a name (an unknown name creates the option; commas are
 * refused). `null` or `""` clears.
 */
export const selectCodec: PropertyCodec<string | null> = {
  type: 'select',
  writable: true,
  read: (value) => expectType(value, 'select').select?.name ?? null,
  write(input, ctx) {
    const name = input === null ? null : checkOptionName(input, ctx, 'select', true);
    return { type: 'select', select: name === null ? null : { name } };
  },
};
