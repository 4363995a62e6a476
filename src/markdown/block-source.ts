import type { BlockObjectResponse } from '@notionhq/client';

/**
 * Where block children come from. The mirror adapts `gateway.client.blocks.children.list` plus
 * pagination to it; tests use an in-memory tree. One iteration is one logical children read (one API
 * call per 100 children).
 */
export interface BlockSource {
  /** Every child of `blockId`, in order, across all pages of the paginated list. */
  listChildren(blockId: string): AsyncIterable<BlockObjectResponse>;
}
