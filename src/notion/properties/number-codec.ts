import { expectType, invalidValue } from './codec-helpers.js';
import type { PropertyCodec } from './property-codec.js';

/** `number`: reads `number | null`; writes a finite number, or `null` to clear. */
export const numberCodec: PropertyCodec<number | null> = {
  type: 'number',
  writable: true,
  read: (value) => expectType(value, 'number').number,
  write(input, ctx) {
    if (input !== null && (typeof input !== 'number' || !Number.isFinite(input))) {
      throw invalidValue(ctx, 'number', 'a finite number or null', input);
    }
    return { type: 'number', number: input };
  },
};
