import type { BlockObjectRequest } from '@notionhq/client';

/** Where `append` puts new blocks, in the API's own shape (`position` of `blocks.children.append`). */
export type AppendPosition =
  { type: 'end' } | { type: 'start' } | { type: 'after_block'; after_block: { id: string } };

/**
 * The writes `writeBlocks` needs. The push engine adapts the gateway's `blocks.children.append`,
 * `blocks.update` and `blocks.delete` to it; tests use an in-memory fake that enforces Notion's limits.
 */
export interface BlockWriter {
  /** Append `children` under `parentId`; resolves to the created top-level blocks, in order (at least their ids). */
  append(
    parentId: string,
    children: BlockObjectRequest[],
    position?: AppendPosition,
  ): Promise<readonly { id: string }[]>;
  /** Update one block with its `{ <type>: payload }`. */
  update(blockId: string, payload: Record<string, unknown>): Promise<unknown>;
  /** Delete (trash) one block and its subtree. */
  delete(blockId: string): Promise<unknown>;
  /**
   * Children of a block, only needed to resolve references to nested blocks created by one append
   * (column contents deeper than Notion's nesting limit). One iteration = one paginated read.
   */
  listChildren?(blockId: string): AsyncIterable<{ id: string }>;
}
