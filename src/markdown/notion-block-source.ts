/**
 * A {@link BlockSource} over the official SDK client: `blocks.children.list`, paginated.
 * @module
 */
import { isFullBlock } from '@notionhq/client';
import type { BlockObjectResponse, Client } from '@notionhq/client';
import { MAX_PAGE_SIZE } from '../notion/limits.js';
import type { BlockSource } from './block-source.js';

/**
 * Every child of a block through `client.blocks.children.list`, {@link MAX_PAGE_SIZE} (100) per call,
 * following `next_cursor` until `has_more` is false. Partial block objects (no read access) are skipped.
 */
export async function* listBlockChildren(
  client: Client,
  blockId: string,
): AsyncGenerator<BlockObjectResponse, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await client.blocks.children.list({
      block_id: blockId,
      page_size: MAX_PAGE_SIZE,
      ...(cursor === undefined ? {} : { start_cursor: cursor }),
    });
    for (const block of page.results) if (isFullBlock(block)) yield block;
    cursor = page.has_more && page.next_cursor !== null ? page.next_cursor : undefined;
  } while (cursor !== undefined);
}

/**
 * A `BlockSource` reading through `client` (a plain `Client`, or a gateway's paced and retried
 * `gateway.client`). One `listChildren` iteration costs ⌈children / 100⌉ API calls.
 *
 * @example
 * ```ts
 * const markdown = await blocksToMarkdown(notionBlockSource(client), pageId);
 * ```
 */
export function notionBlockSource(client: Client): BlockSource {
  return { listChildren: (blockId) => listBlockChildren(client, blockId) };
}
