import { loadConfig, normalizeStoreUrl } from '../../config/load-config.js';
import { parseNotionId } from '../../notion/notion-id.js';
import { canonicalJson } from '../../notion/properties/index.js';
import { openStore } from '../../store/open-store.js';
import type { PageVersion } from '../../store/replica-repository.js';
import { ExitError } from '../exit-error.js';

/** Options of `notion-sync history <page id | URL>`. */
export interface HistoryOptions {
  /** A page id or link. */
  page: string;
  /** Store URL. @default the config's store, else ./notion-sync.db */
  store?: string;
  /** Print the versions as JSON. @default false */
  json?: boolean;
  /** @default process.cwd() */
  cwd?: string;
  /** Config file. @default the first of CONFIG_FILE_NAMES in `cwd` */
  config?: string;
}

/** Longest value shown in a diff line before it is shortened. */
const MAX_VALUE_CHARS = 80;

/** One property change between two versions. */
export interface PropertyChange {
  readonly property: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * `notion-sync history <page>`: every recorded version of a page, oldest first, each with a readable diff
 * of what changed from the version before. Exits 1 when the page is not in the replica.
 */
export async function history(options: HistoryOptions): Promise<readonly PageVersion[]> {
  const cwd = options.cwd ?? process.cwd();
  const pageId = parseNotionId(options.page);
  const config = await loadConfig({
    cwd,
    ...(options.config === undefined ? {} : { configPath: options.config }),
  });
  const store = await openStore(
    options.store === undefined ? config.store : normalizeStoreUrl(options.store, cwd),
  );
  try {
    const page = await store.replica.getPage(pageId);
    if (page === undefined) {
      console.error(
        `Page ${pageId} is not in the replica: mirror its database first (\`notion-sync mirror <database>\`).`,
      );
      throw new ExitError(1);
    }
    const versions = await store.replica.listVersions(pageId);
    if (options.json === true) {
      console.log(JSON.stringify(versions, null, 2));
      return versions;
    }
    console.log(
      `${page.title || '(untitled)'} ${pageId}${page.deletedAt === null ? '' : ` (deleted: ${page.deletedReason ?? 'unknown'})`}`,
    );
    let previous: PageVersion | undefined;
    for (const version of versions) {
      const body =
        version.bodyHash !== (previous?.bodyHash ?? null) && previous !== undefined ? ', body changed' : '';
      const reason =
        version.changeKind === 'deleted' && version === versions.at(-1) && page.deletedReason
          ? ` (${page.deletedReason})`
          : '';
      console.log(`v${version.version} ${version.observedAt} ${version.changeKind}${reason}${body}`);
      for (const change of diffVersions(previous, version)) {
        console.log(`  ${change.property}: ${show(change.before)} → ${show(change.after)}`);
      }
      previous = version;
    }
    return versions;
  } finally {
    await store.close();
  }
}

/** The property changes from `before` to `after` (every property of `after` when there is no `before`). */
export function diffVersions(before: PageVersion | undefined, after: PageVersion): PropertyChange[] {
  const names = new Set([...Object.keys(before?.properties ?? {}), ...Object.keys(after.properties)]);
  const out: PropertyChange[] = [];
  for (const name of [...names].sort()) {
    const a = before?.properties[name];
    const b = after.properties[name];
    if (before !== undefined && canonicalJson(a ?? null) === canonicalJson(b ?? null)) continue;
    out.push({ property: name, before: a, after: b });
  }
  return out;
}

/** A short human form of a plain value. */
function show(value: unknown): string {
  if (value === undefined) return '∅';
  if (value === null) return 'empty';
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : isTextValue(value)
        ? JSON.stringify(value.text)
        : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function isTextValue(value: unknown): value is { text: string } {
  return (
    value !== null && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string'
  );
}
