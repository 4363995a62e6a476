import type { UniqueIdPlain } from './property-codec.js';
import { createReadOnlyCodec } from './read-only-codec-factory.js';

/** The display form Notion shows: `"PRE-12"`, `"12"` without prefix, `null` when there is no number. */
export function formatUniqueId(prefix: string | null, number: number | null): string | null {
  if (number === null) return null;
  return prefix ? `${prefix}-${number}` : String(number);
}

/** `unique_id` (read-only): `{ prefix, number, display }`, e.g. `{ prefix: 'PRE', number: 12, display: 'PRE-12' }`. */
export const uniqueIdCodec = createReadOnlyCodec('unique_id', (v): UniqueIdPlain => ({
  prefix: v.unique_id.prefix,
  number: v.unique_id.number,
  display: formatUniqueId(v.unique_id.prefix, v.unique_id.number),
}));
