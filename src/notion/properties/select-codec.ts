import { InvalidValueError } from '../../errors.js';
import { expectType, invalidValue } from './codec-helpers.js';
import type { PropertyCodec, WriteContext } from './property-codec.js';

/**
 * Checks one option name for a write: a string, and (for select and multi_select, whose unknown names
 * create options) without a comma, which Notion refuses in option names.
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
