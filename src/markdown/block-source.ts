import type { BlockObjectResponse } from '@notionhq/client';

/**
 * Where block children come from. The mirror adapts `gateway.client.blocks.children.list` plus
 * pagination to it; tests use an in-memory tree. One iteration is one logical children read (one API
 * call per 100 children).
 */
export interface BlockSource {
  /** Every child of `blockId`, in order, across all pages of the paginated list. */
  listChildren(blockId: string): AsyncIterable<BlockObjectResponse>;
  /**
   * The same children, one page (one API call) at a time. Optional; when present, `fetchBlockTree` reads
   * through it: one await per call instead of one per block.
   */
  listChildPages?(blockId: string): AsyncIterable<readonly BlockObjectResponse[]>;
}
