/**
 * A {@link BlockWriter} over the official SDK client: `blocks.children.append`, `blocks.update`,
 * `blocks.delete`, and `blocks.children.list` to resolve nested references.
 * @module
 */
import type { Client, UpdateBlockParameters } from '@notionhq/client';
import type { BlockWriter } from './block-writer.js';
import { listBlockChildren } from './notion-block-source.js';

/**
 * A `BlockWriter` writing through `client` (a plain `Client`, or a gateway's paced and retried
 * `gateway.client`). Each method is exactly one API call; `listChildren` is one call per 100 children.
 *
 * @example
 * ```ts
 * await writeBlocks(notionBlockWriter(client), pageId, planAppends(markdownToBlocks(markdown)));
 * ```
 */
export function notionBlockWriter(client: Client): BlockWriter {
  return {
    async append(parentId, children, position) {
      const response = await client.blocks.children.append({
        block_id: parentId,
        children,
        ...(position === undefined ? {} : { position }),
      });
      return response.results.map((block) => ({ id: block.id }));
    },
    // The payload is `{ <type>: fields }` for the block's own type, which the SDK's union cannot check statically.
    update: (blockId, payload) =>
      client.blocks.update({ block_id: blockId, ...payload } as UpdateBlockParameters),
    delete: (blockId) => client.blocks.delete({ block_id: blockId }),
    listChildren: (blockId) => listBlockChildren(client, blockId),
  };
}
