import { pathToFileURL } from 'node:url';

/**
 * Imports an ES module by path: `.ts`/`.mts`/`.cts` through tsx's loader API, `.js`/`.mjs` directly.
 * Used for config files and worker modules (workers-runtime.md: `.ts` modules load through a TypeScript
 * loader).
 */
export async function importModule(absolutePath: string): Promise<Record<string, unknown>> {
  if (/\.[mc]?ts$/.test(absolutePath)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(pathToFileURL(absolutePath).href, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>;
}
