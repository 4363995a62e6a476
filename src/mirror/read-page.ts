/**
 * Turning Notion page objects into replica rows: complete values truncated at 25 references, plain
 * property values, title, content hash; and page bodies as markdown plus block JSON.
 * @module
 */
import { isFullBlock } from '@notionhq/client';
import type { BlockObjectResponse, PageObjectResponse, PropertyItemListResponse } from '@notionhq/client';
import type { NotionGateway } from '../notion/gateway.js';
import { MAX_PAGE_SIZE } from '../notion/limits.js';
import {
  completeTruncatedProperties,
  contentHash,
  hashBody,
  readPageProperties,
} from '../notion/properties/index.js';
import type { BlockSource } from '../markdown/block-source.js';
import { blockTreeToMarkdown, fetchBlockTree } from '../markdown/blocks-to-markdown.js';
import type { PageBody, PageInput } from '../store/replica-repository.js';
import { plainText } from './resolve-source.js';

/**
 * A replica row of `page` (without its body). Relations, people and mentions that may be truncated at 25
 * are completed first through the property-item endpoint (calls only for those), so the hash and the
 * stored values are complete.
 */
export async function readPageRow(
  gateway: NotionGateway,
  page: PageObjectResponse,
  dataSourceId: string,
): Promise<PageInput> {
  const complete = await completeTruncatedProperties(
    page,
    (pageId, propertyId, startCursor) =>
      gateway.client.pages.properties.retrieve({
        page_id: pageId,
        property_id: propertyId,
        ...(startCursor === undefined ? {} : { start_cursor: startCursor }),
      }) as Promise<PropertyItemListResponse>,
  );
  return {
    id: complete.id,
    dataSourceId,
    properties: readPageProperties(complete),
    title: pageTitle(complete),
    createdTime: complete.created_time,
    lastEditedTime: complete.last_edited_time,
    inTrash: complete.in_trash,
    contentHash: contentHash(complete.properties),
  };
}

/** Plain text of the page's title property. */
export function pageTitle(page: Pick<PageObjectResponse, 'properties'>): string {
  for (const value of Object.values(page.properties)) {
    if (value.type === 'title') return plainText(value.title);
  }
  return '';
}

/** A `BlockSource` over the gateway: `blocks.children.list`, 100 children per call. */
export function gatewayBlockSource(gateway: NotionGateway): BlockSource {
  return {
    async *listChildren(blockId: string): AsyncIterable<BlockObjectResponse> {
      const pages = gateway.paginate(gateway.client.blocks.children.list, {
        block_id: blockId,
        page_size: MAX_PAGE_SIZE,
      });
      for await (const page of pages) {
        for (const block of page.results) if (isFullBlock(block)) yield block;
      }
    },
  };
}

/**
 * Reads a page's whole block tree (one children read per block with children, `concurrency` in flight)
 * and returns it as markdown plus the raw tree, hashed over the block JSON (which keeps what markdown
 * cannot express).
 */
export async function readPageBody(
  source: BlockSource,
  pageId: string,
  concurrency: number,
): Promise<PageBody> {
  const tree = await fetchBlockTree(source, pageId, { concurrency });
  return { markdown: blockTreeToMarkdown(tree), json: tree, hash: hashBody(tree) };
}
