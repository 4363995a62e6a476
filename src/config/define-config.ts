import type { NotionSyncConfig } from './config-schema.js';

/**
 * Types a `notion-sync.config.ts` or `.mjs` file. It returns its argument unchanged; validation happens when
 * the file is loaded.
 *
 * ### Examples
 * ```ts
 * // notion-sync.config.ts
 * import { defineConfig } from 'notion-sync';
 * export default defineConfig({
 *   store: 'sqlite:./notion-sync.db',
 *   mirrors: [{ source: 'https://www.notion.so/acme/Tasks-0123456789abcdef0123456789abcdef' }],
 * });
 * ```
 */
export function defineConfig(config: NotionSyncConfig): NotionSyncConfig {
  return config;
}
