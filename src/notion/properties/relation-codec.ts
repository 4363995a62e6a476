import { MAX_RELATION_ITEMS } from '../limits.js';
import { checkArrayLimit, expectType, invalidValue } from './codec-helpers.js';
import type { PropertyCodec } from './property-codec.js';

/**
 * `relation`: reads related page ids; writes page ids (over 100 refused with `LimitExceededError`).
 * `null` or `[]` clears. A page object lists at most 25 relations (`has_more: true`): complete it with
 * `completeTruncatedProperties` before reading, or the value read is partial.
 */
export const relationCodec: PropertyCodec<readonly string[], readonly string[] | null> = {
  type: 'relation',
  writable: true,
  read: (value) => expectType(value, 'relation').relation.map((r) => r.id),
  write(input, ctx) {
    const expected = 'an array of page ids';
    if (input !== null && !Array.isArray(input)) throw invalidValue(ctx, 'relation', expected, input);
    const ids = input ?? [];
    checkArrayLimit(ctx, 'relation', ids.length, MAX_RELATION_ITEMS, 'related pages');
    return {
      type: 'relation',
      relation: ids.map((id) => {
        if (typeof id !== 'string' || id === '') throw invalidValue(ctx, 'relation', expected, id);
        return { id };
      }),
    };
  },
};
