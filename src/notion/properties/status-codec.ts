import { expectType } from './codec-helpers.js';
import type { PropertyCodec } from './property-codec.js';
import { checkOptionName } from './select-codec.js';

/**
 * `status`: reads the option name or `null`; writes the name of an **existing** option (Notion cannot create
 * status options from a page write and answers 400 for unknown names). `null` resets to the default.
 */
export const statusCodec: PropertyCodec<string | null> = {
  type: 'status',
  writable: true,
  read: (value) => expectType(value, 'status').status?.name ?? null,
  write(input, ctx) {
    const name = input === null ? null : checkOptionName(input, ctx, 'status', false);
    return { type: 'status', status: name === null ? null : { name } };
  },
};
