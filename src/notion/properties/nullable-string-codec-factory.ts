/**
 * The codec shared by `url`, `email` and `phone_number`: a string or null, where an empty string clears.
 * @internal
 */
import { checkStringLimit, expectType, invalidValue } from './codec-helpers.js';
import type { PropertyCodec, PropertyWriteValue } from './property-codec.js';

/**
 * Builds the codec of a string-or-null type. Notion rejects `""` for these types, so an empty (or
 * whitespace-only) string is written as `null`, which clears the value. Strings over `maxChars` are refused.
 */
export function createNullableStringCodec<T extends 'url' | 'email' | 'phone_number'>(
  type: T,
  maxChars: number,
): PropertyCodec<string | null> {
  return {
    type,
    writable: true,
    read: (value) => (expectType(value, type) as { [K in T]: string | null })[type],
    write(input, ctx) {
      if (input !== null && typeof input !== 'string')
        throw invalidValue(ctx, type, 'a string or null', input);
      const value = input === null || input.trim() === '' ? null : input;
      if (value !== null) checkStringLimit(ctx, type, value, maxChars);
      return { type, [type]: value } as PropertyWriteValue;
    },
  };
}
