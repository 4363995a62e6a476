import type { PushContext } from './apply-batch.js';
import { trashPage } from './apply-batch.js';

/** Key map entries read per sweep page. */
const SWEEP_PAGE_SIZE = 500;

/**
 * Replace mode's mark-and-sweep (DESIGN invariant 4; call it only after a complete cycle with no failed batch):
 * trashes every page of `target` that this runtime wrote, that the cycle did not upsert (`last_cycle_seen` below
 * `cycle`), and that was last written before the cycle began (which protects rows a concurrent delta sync wrote
 * meanwhile). Returns the keys trashed; each is marked deleted in the key map as soon as its page is trashed.
 */
export async function sweepTarget(
  ctx: PushContext,
  target: string,
  cycle: number,
  cycleStartedAt: string,
): Promise<string[]> {
  const trashed: string[] = [];
  let afterKey: string | undefined;
  for (;;) {
    const page = await ctx.store.keyMap.listNotSeenSince(target, cycle, {
      limit: SWEEP_PAGE_SIZE,
      ...(afterKey !== undefined ? { afterKey } : {}),
    });
    if (page.length === 0) break;
    afterKey = page[page.length - 1]?.key;
    const stale = page.filter((e) => e.lastWrittenAt === null || e.lastWrittenAt < cycleStartedAt);
    for (const entry of stale) {
      if (!ctx.preview) {
        await trashPage(ctx, entry.pageId);
        await ctx.store.keyMap.markDeleted(target, [entry.key]);
      }
      trashed.push(entry.key);
    }
  }
  return trashed;
}
