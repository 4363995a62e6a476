import type { DatePlain } from './property-codec.js';
import { createReadOnlyCodec } from './read-only-codec-factory.js';
import { toDatePlain } from './date-codec.js';

/**
 * `formula` (read-only): the computed value by its result type — `string`, `number`, `boolean`,
 * {@link DatePlain} — or `null` (empty, or a result type the API calls `unsupported`). Notion computes
 * formulas over at most 25 relations, so treat values built on relations as advisory.
 */
export const formulaCodec = createReadOnlyCodec(
  'formula',
  (v): string | number | boolean | DatePlain | null => {
    const f = v.formula;
    switch (f.type) {
      case 'string':
        return f.string;
      case 'number':
        return f.number;
      case 'boolean':
        return f.boolean;
      case 'date':
        return toDatePlain(f.date);
      default:
        return null;
    }
  },
);
