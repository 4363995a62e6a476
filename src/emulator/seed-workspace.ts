import { seedDemoWorkspace, type DemoWorkspaceInfo } from './seed/demo-seed.js';
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

/**
 * The `'demo'` seed: the empty seed, then `seedDemoWorkspace(client)` through the official SDK against the
 * running server, under the workspace's root page.
 */
export async function seedDemo(
  url: string,
  token: string,
  rootPageId: string | undefined,
): Promise<DemoWorkspaceInfo> {
  const client = new Client({ auth: token, baseUrl: url, retry: false });
  return seedDemoWorkspace(client, rootPageId === undefined ? {} : { parentPageId: rootPageId });
}
