import { MAX_MULTI_SELECT_ITEMS } from '../limits.js';
import { checkArrayLimit, expectType, invalidValue } from './codec-helpers.js';
import type { PropertyCodec } from './property-codec.js';
import { checkOptionName } from './select-codec.js';

/**
 * `multi_select`: reads option names in Notion's order; writes names (unknown names create options; commas
 * and empty names are refused; over 100 refused with `LimitExceededError`). `null` or `[]` clears.
 */
export const multiSelectCodec: PropertyCodec<readonly string[], readonly string[] | null> = {
  type: 'multi_select',
  writable: true,
  read: (value) => expectType(value, 'multi_select').multi_select.map((o) => o.name),
  write(input, ctx) {
    if (input !== null && !Array.isArray(input))
      throw invalidValue(ctx, 'multi_select', 'an array of option names', input);
    const names = input ?? [];
    checkArrayLimit(ctx, 'multi_select', names.length, MAX_MULTI_SELECT_ITEMS, 'options');
    return {
      type: 'multi_select',
      multi_select: names.map((n) => {
        const name = checkOptionName(n, ctx, 'multi_select', true);
        if (name === null) throw invalidValue(ctx, 'multi_select', 'non-empty option names', n);
        return { name };
      }),
    };
  },
};
