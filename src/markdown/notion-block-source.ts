/**
 * A {@link BlockSource} over the official SDK client: `blocks.children.list`, paginated.
 * @module
 */
import { isFullBlock } from '@notionhq/client';
import type { BlockObjectResponse, Client } from '@notionhq/client';
import { MAX_PAGE_SIZE } from '../notion/limits.js';
import type { BlockSource } from './block-source.js';

/**
 * The children of a block through `client.blocks.children.list`, one page of {@link MAX_PAGE_SIZE} (100)
 * per call, following `next_cursor` until `has_more` is false. Partial block objects (no read access)
 * are skipped.
 */
export async function* listBlockChildPages(
  client: Client,
  blockId: string,
): AsyncGenerator<BlockObjectResponse[], void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await client.blocks.children.list({
      block_id: blockId,
      page_size: MAX_PAGE_SIZE,
      ...(cursor === undefined ? {} : { start_cursor: cursor }),
    });
    yield page.results.filter(isFullBlock);
    cursor = page.has_more && page.next_cursor !== null ? page.next_cursor : undefined;
  } while (cursor !== undefined);
}

/** Every child of a block, block by block (see {@link listBlockChildPages}). */
export async function* listBlockChildren(
  client: Client,
  blockId: string,
): AsyncGenerator<BlockObjectResponse, void, undefined> {
  for await (const page of listBlockChildPages(client, blockId)) yield* page;
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
  return {
    listChildren: (blockId) => listBlockChildren(client, blockId),
    listChildPages: (blockId) => listBlockChildPages(client, blockId),
  };
}
