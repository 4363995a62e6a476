import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../clock.js';
import type { WorkspaceSnapshot } from './records.js';

const FORMAT = 'notion-sync-emulator';
const FORMAT_VERSION = 1;

/** Reads a persisted workspace, or `undefined` when the file does not exist. */
export async function loadSnapshot(path: string): Promise<WorkspaceSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const doc = JSON.parse(text) as { format?: string; version?: number; state?: WorkspaceSnapshot };
  if (doc.format !== FORMAT || doc.version !== FORMAT_VERSION || !doc.state) {
    throw new Error(
      `${path} is not a notion-sync emulator state file (format ${FORMAT} v${FORMAT_VERSION}); move it away or choose another --persist path.`,
    );
  }
  return doc.state;
}

/**
 * Writes the workspace to a JSON file: atomically (temp file + rename), debounced after changes, and
 * once more on `flush()` (stop).
 */
export class Persister {
  #dirty = false;
  #timer: Promise<void> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    readonly snapshot: () => WorkspaceSnapshot,
    readonly clock: Clock,
    readonly debounceMs: number,
  ) {}

  /** Marks the state changed; a write follows within `debounceMs`. */
  schedule(): void {
    this.#dirty = true;
    if (this.#timer) return;
    this.#timer = this.clock.sleep(this.debounceMs).then(() => {
      this.#timer = undefined;
      return this.#write();
    });
  }

  /** Writes now if anything changed, and waits for writes in flight. */
  async flush(): Promise<void> {
    await this.#write();
  }

  #write(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      const text = JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, state: this.snapshot() });
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, this.path);
    });
    return this.#writing;
  }
}
