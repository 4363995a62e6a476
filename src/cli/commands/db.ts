import { attachDatabase } from '../../push/ensure-databases.js';
import type { DatabaseBinding } from '../../push/push-records.js';
import { openPushEnvironment } from '../../push/push-environment.js';
import { parseNotionId } from '../../notion/notion-id.js';

/** Options of `notion-sync db attach`. */
export interface DbAttachOptions {
  readonly databaseKey: string;
  /** A database (or data source) id or URL. */
  readonly database: string;
  readonly emulatorUrl?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly cwd?: string;
  /** Environment (NOTION_TOKEN, NOTION_SYNC_STORE). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly out?: (line: string) => void;
}

/**
 * `notion-sync db attach <databaseKey> <URL|id>`: binds a worker's `attached` database to an existing Notion
 * database. Its schema is checked against the worker's declaration on the next `sync trigger`.
 */
export async function dbAttach(options: DbAttachOptions): Promise<DatabaseBinding> {
  const out = options.out ?? ((line: string) => console.log(line));
  const id = parseNotionId(options.database);
  const env = await openPushEnvironment({
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.emulatorUrl !== undefined ? { emulatorUrl: options.emulatorUrl } : {}),
  });
  try {
    const binding = await attachDatabase({
      store: env.store,
      gateway: env.gateway,
      databaseKey: options.databaseKey,
      databaseIdOrDataSourceId: id,
    });
    if (options.json) out(JSON.stringify(binding));
    else {
      out(
        `Database "${binding.databaseKey}" is bound to ${binding.databaseId} (data source ${binding.dataSourceId}).`,
      );
      out('next: notion-sync sync trigger <syncKey> --preview');
    }
    return binding;
  } finally {
    await env.close();
  }
}
