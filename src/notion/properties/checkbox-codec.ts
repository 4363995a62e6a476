import { expectType, invalidValue } from './codec-helpers.js';
import type { PropertyCodec } from './property-codec.js';

/** `checkbox`: reads `boolean`; writes a boolean. `null` clears, which for a checkbox means `false`. */
export const checkboxCodec: PropertyCodec<boolean, boolean | null> = {
  type: 'checkbox',
  writable: true,
  read: (value) => expectType(value, 'checkbox').checkbox,
  write(input, ctx) {
    if (input !== null && typeof input !== 'boolean') throw invalidValue(ctx, 'checkbox', 'a boolean', input);
    return { type: 'checkbox', checkbox: input ?? false };
  },
};
