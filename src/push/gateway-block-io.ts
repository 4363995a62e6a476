import type { BlockObjectResponse, UpdateBlockParameters } from '@notionhq/client';
import type { BlockSource, BlockWriter } from '../markdown/index.js';
import type { NotionGateway } from '../notion/gateway.js';

/**
 * The markdown module's block reads and writes over the gateway: `blocks.children.list` (paginated),
 * `blocks.children.append`, `blocks.update` and `blocks.delete`. Every call is paced and retried by the gateway;
 * an append whose outcome is unknown rejects with `OutcomeUnknownError` (the body is then re-planned from what
 * Notion holds on the next write, so a repeated append never stays duplicated).
 */
export function gatewayBlockIo(gateway: NotionGateway): BlockWriter & BlockSource {
  async function* listChildren(blockId: string): AsyncGenerator<BlockObjectResponse, void, undefined> {
    for await (const page of gateway.paginate(gateway.client.blocks.children.list, { block_id: blockId })) {
      for (const block of page.results) yield block as BlockObjectResponse;
    }
  }
  return {
    listChildren,
    async append(parentId, children, position) {
      const response = await gateway.client.blocks.children.append({
        block_id: parentId,
        children,
        ...(position === undefined ? {} : { position }),
      });
      return response.results.map((b) => ({ id: b.id }));
    },
    update: (blockId, payload) =>
      gateway.client.blocks.update({ block_id: blockId, ...payload } as UpdateBlockParameters),
    delete: (blockId) => gateway.client.blocks.delete({ block_id: blockId }),
  };
}
