import { codecFor } from './codec-registry.js';
import type { DatePlain, PlainValue, PropertyValueResponse } from './property-codec.js';
import { createReadOnlyCodec } from './read-only-codec-factory.js';
import { toDatePlain } from './date-codec.js';

/**
 * `rollup` (read-only): by the rollup's result type — `number | null`, {@link DatePlain} `| null`, or an
 * array whose items are read by their own codec (a rollup of titles gives `RichTextPlain`s, of relations
 * page-id arrays, …). `unsupported` and `incomplete` results read as `null`. Notion computes rollups over
 * at most 25 related pages in a page object: treat them as advisory.
 */
export const rollupCodec = createReadOnlyCodec(
  'rollup',
  (v): number | DatePlain | readonly PlainValue[] | null => {
    const r = v.rollup;
    switch (r.type) {
      case 'number':
        return r.number;
      case 'date':
        return toDatePlain(r.date);
      case 'array':
        // Array items carry no id of their own: lend them the rollup's, so their codec can name them.
        return r.array.map((item) =>
          codecFor(item.type).read({ ...item, id: v.id } as PropertyValueResponse),
        );
      default:
        return null;
    }
  },
);
