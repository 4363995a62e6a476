import { Client } from '@notionhq/client';
import type { Workspace } from './workspace.js';

/** Person users every seeded workspace has, so the engine can map emails to users. */
export const SEED_USERS: readonly { name: string; email: string }[] = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Alan Turing', email: 'alan@example.com' },
  { name: 'Katherine Johnson', email: 'katherine@example.com' },
];

/** Title of the root page seeded into every workspace (databases need a parent page). */
export const ROOT_PAGE_TITLE = 'notion-sync workspace';

/** The `'empty'` seed: four person users and one root page shared with the integration. */
export function seedEmptyWorkspace(ws: Workspace): void {
  for (const u of SEED_USERS) ws.createUser(u);
  const root = ws.createPage(
    {
      parent: { workspace: true },
      properties: { title: [{ text: { content: ROOT_PAGE_TITLE } }] },
      icon: { type: 'emoji', emoji: '🔄' },
    },
    [],
  );
  ws.rootPageId = root.page.id as string;
}

/** Where the demo seed lives (written in parallel; loaded lazily so the emulator works without it). */
const DEMO_SEED_MODULE = './seed/demo-seed.js';

interface DemoSeedModule {
  seedDemoWorkspace?: (client: Client) => Promise<unknown>;
}

/**
 * The `'demo'` seed: the empty seed, then `seedDemoWorkspace(client)` from `./seed/demo-seed.js` through
 * the official SDK against the running server. Returns its `DemoWorkspaceInfo`, or `undefined` when that
 * module is not present (then the workspace has only the root page and users).
 */
export async function seedDemo(url: string, token: string): Promise<unknown> {
  let mod: DemoSeedModule;
  try {
    mod = (await import(DEMO_SEED_MODULE)) as DemoSeedModule;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  if (!mod.seedDemoWorkspace) return undefined;
  return mod.seedDemoWorkspace(new Client({ auth: token, baseUrl: url, retry: false }));
}
