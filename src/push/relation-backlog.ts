import type { UpdatePageParameters } from '@notionhq/client';
import type { RelationBacklogEntry } from './push-records.js';
import { keyMapEntry, resolveRelatedPage, type PushContext } from './apply-batch.js';

/** What a backlog pass did. */
export interface BacklogPass {
  /** Entries still waiting for their targets. */
  readonly remaining: readonly RelationBacklogEntry[];
  /** Relation values completed (one `pages.update` each). */
  readonly completed: number;
}

/** The backlog after a batch: entries of rows the batch rewrote are replaced by the batch's own. */
export function mergeBacklog(
  backlog: readonly RelationBacklogEntry[],
  cleared: readonly { target: string; key: string; properties: readonly string[] | 'all' }[],
  added: readonly RelationBacklogEntry[],
): RelationBacklogEntry[] {
  const isCleared = (e: RelationBacklogEntry): boolean =>
    cleared.some(
      (c) =>
        c.target === e.target &&
        c.key === e.key &&
        (c.properties === 'all' || c.properties.includes(e.property)),
    );
  return [...backlog.filter((e) => !isCleared(e)), ...added];
}

/**
 * Completes relation links whose targets now exist: for each entry whose every primary key resolves through the
 * key map, writes the whole relation value (one `pages.update`). Entries with a key still unresolved stay, as do
 * entries of rows that `busy` names (a batch not yet committed writes them: its commit settles their links), and
 * entries whose row was deleted meanwhile are dropped. A failed write keeps its entry for the next pass.
 */
export async function completeBacklog(
  ctx: PushContext,
  backlog: readonly RelationBacklogEntry[],
  busy: (target: string, key: string) => boolean = () => false,
): Promise<BacklogPass> {
  const remaining: RelationBacklogEntry[] = [];
  let completed = 0;
  for (const entry of backlog) {
    if (busy(entry.target, entry.key)) {
      remaining.push(entry);
      continue;
    }
    const row = await keyMapEntry(ctx, entry.target, entry.key);
    if (row === undefined || row.deleted) continue;
    const ids: { id: string }[] = [];
    for (const key of entry.primaryKeys) {
      const id = await resolveRelatedPage(ctx, entry.relatedDatabaseKey, key);
      if (id !== undefined) ids.push({ id });
    }
    if (ids.length < entry.primaryKeys.length || ctx.preview) {
      remaining.push(entry);
      continue;
    }
    try {
      await ctx.gateway.client.pages.update({
        page_id: row.pageId,
        properties: { [entry.property]: { relation: ids } } as UpdatePageParameters['properties'],
      });
      completed += 1;
    } catch (e) {
      ctx.logger('warn', 'relation completion failed', {
        key: entry.key,
        property: entry.property,
        error: e,
      });
      remaining.push(entry);
    }
  }
  return { remaining, completed };
}
