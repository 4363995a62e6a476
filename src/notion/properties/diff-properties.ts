import { plainValuesEqual } from './comparable-value.js';
import type { PlainValue } from './property-codec.js';

/**
 * The names of the properties whose content differs between two sets of plain values (as
 * `readPageProperties` returns them), sorted. A property present on one side only counts as changed.
 * Volatile parts are ignored as in `contentHash` (signed file URLs, how rich text is split, mention display
 * text); unlike `contentHash`, every property is compared, `last_edited_*` included, since the caller chose
 * which values to pass.
 *
 * Use it to send only what changed (`pages.update` with those properties) and to record history.
 */
export function diffProperties(
  before: Readonly<Record<string, PlainValue | undefined>>,
  after: Readonly<Record<string, PlainValue | undefined>>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const name of names) {
    const a = before[name];
    const b = after[name];
    if (a === undefined || b === undefined) {
      if (a !== b) changed.push(name);
      continue;
    }
    if (!plainValuesEqual(a, b)) changed.push(name);
  }
  return changed.sort();
}
