/**
 * Keeps writes to one row in order while several batches are written at once: each row (target data source,
 * primary key) has a lane, and a write waits for the earlier writes of its row to settle. The lanes also hold the
 * key map entry each write produced until its batch commits, so a later batch reads what Notion now holds (its
 * hashes, `upstreamUpdatedAt`) rather than the store's older row.
 */
import type { KeyMapEntry } from '../store/index.js';

/** The identity of a row across databases. */
export function rowId(target: string, key: string): string {
  return JSON.stringify([target, key]);
}

/** Per-row ordering and uncommitted key map entries of the batches in flight. */
export class RowLanes {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #written = new Map<string, KeyMapEntry>();

  /** Runs `task` once every earlier task of the row has settled (fulfilled or rejected). */
  run<T>(target: string, key: string, task: () => Promise<T>): Promise<T> {
    const id = rowId(target, key);
    const result = this.settled(target, key).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(id, tail);
    void tail.then(() => {
      if (this.#tails.get(id) === tail) this.#tails.delete(id);
    });
    return result;
  }

  /** Resolves once every task of the row started so far has settled. */
  settled(target: string, key: string): Promise<void> {
    return this.#tails.get(rowId(target, key)) ?? Promise.resolve();
  }

  /** The entry the row's latest write produced, while its batch has not committed. */
  entry(target: string, key: string): KeyMapEntry | undefined {
    return this.#written.get(rowId(target, key));
  }

  /** Records the entry a write produced (its batch commits it later). */
  remember(entry: KeyMapEntry): void {
    this.#written.set(rowId(entry.target, entry.key), entry);
  }

  /** Drops entries now in the store; an entry a later write replaced stays. */
  committed(entries: readonly KeyMapEntry[]): void {
    for (const entry of entries) {
      const id = rowId(entry.target, entry.key);
      if (this.#written.get(id) === entry) this.#written.delete(id);
    }
  }
}
