import { loadConfig, normalizeStoreUrl } from '../../config/load-config.js';
import { openStore } from '../../store/open-store.js';
import type { SearchHit } from '../../store/replica-repository.js';

/** Options of `notion-sync search "<text>"`. */
export interface SearchOptions {
  /** Words to find (all must match) in titles and bodies. */
  text: string;
  /** Store URL. @default the config's store, else ./notion-sync.db */
  store?: string;
  /** Most hits shown. @default 20 */
  limit?: number;
  /** Print the hits as JSON. @default false */
  json?: boolean;
  /** @default process.cwd() */
  cwd?: string;
  /** Config file. @default the first of CONFIG_FILE_NAMES in `cwd` */
  config?: string;
}

/** `notion-sync search "<text>"`: full-text search over mirrored page titles and bodies, best first. */
export async function search(options: SearchOptions): Promise<readonly SearchHit[]> {
  const cwd = options.cwd ?? process.cwd();
  const config = await loadConfig({
    cwd,
    ...(options.config === undefined ? {} : { configPath: options.config }),
  });
  const store = await openStore(
    options.store === undefined ? config.store : normalizeStoreUrl(options.store, cwd),
  );
  try {
    const hits = await store.replica.search(options.text, {
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    if (options.json === true) console.log(JSON.stringify(hits, null, 2));
    else if (hits.length === 0) {
      console.log(
        `No mirrored page matches "${options.text}". (Only mirrored databases are searched: \`notion-sync mirror <database>\`.)`,
      );
    } else {
      for (const hit of hits)
        console.log(`${hit.title || '(untitled)'}  ${hit.pageId}\n  ${hit.snippet.replace(/\s+/g, ' ')}`);
    }
    return hits;
  } finally {
    await store.close();
  }
}
