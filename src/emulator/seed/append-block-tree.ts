import type { BlockObjectRequest, Client } from '@notionhq/client';
import {
  MAX_APPEND_NESTING_LEVELS,
  MAX_ARRAY_ITEMS,
  MAX_BLOCKS_PER_APPEND,
  MAX_BLOCKS_PER_REQUEST,
} from '../../notion/limits.js';

/**
 * A block to write, with its children as a tree of any depth. `payload` is the type's content without
 * `children` (e.g. `{rich_text, color}` for a paragraph).
 */
export interface BlockNode {
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly children: readonly BlockNode[];
}

/** Builds a block node. */
export function blockNode(
  type: string,
  payload: Readonly<Record<string, unknown>>,
  children: readonly BlockNode[] = [],
): BlockNode {
  return { type, payload, children };
}

/** Levels one append may carry: the top-level children plus `MAX_APPEND_NESTING_LEVELS` below them. */
const MAX_INLINE_DEPTH = 1 + MAX_APPEND_NESTING_LEVELS;

function depthOf(node: BlockNode): number {
  let deepest = 0;
  for (const child of node.children) deepest = Math.max(deepest, depthOf(child));
  return 1 + deepest;
}

function sizeOf(node: BlockNode): number {
  let size = 1;
  for (const child of node.children) size += sizeOf(child);
  return size;
}

function fitsInline(node: BlockNode): boolean {
  const arraysFit = (n: BlockNode): boolean =>
    n.children.length <= MAX_ARRAY_ITEMS && n.children.every(arraysFit);
  return depthOf(node) <= MAX_INLINE_DEPTH && sizeOf(node) <= MAX_BLOCKS_PER_REQUEST && arraysFit(node);
}

function toRequest(node: BlockNode, withChildren: boolean): BlockObjectRequest {
  const content: Record<string, unknown> = { ...node.payload };
  if (withChildren && node.children.length > 0) {
    content['children'] = node.children.map((child) => toRequest(child, true));
  }
  return { type: node.type, [node.type]: content } as unknown as BlockObjectRequest;
}

/**
 * Appends a block tree of any depth and size under `parentId`, within Notion's write rules
 * (notion-api-facts §7): at most `MAX_BLOCKS_PER_APPEND` top-level blocks and `MAX_BLOCKS_PER_REQUEST`
 * elements per request, and at most `MAX_APPEND_NESTING_LEVELS` levels below the top. A subtree that
 * does not fit is sent as its root alone, and its children follow in calls addressed to the block id
 * the first call returned. Requests run one after another, in document order.
 *
 * @returns the number of append requests made.
 */
export async function appendBlockTree(
  client: Client,
  parentId: string,
  nodes: readonly BlockNode[],
): Promise<number> {
  let requests = 0;
  let index = 0;
  while (index < nodes.length) {
    const batch: { node: BlockNode; inline: boolean }[] = [];
    let elements = 0;
    while (index < nodes.length && batch.length < MAX_BLOCKS_PER_APPEND) {
      const node = nodes[index] as BlockNode;
      const inline = fitsInline(node);
      const size = inline ? sizeOf(node) : 1;
      if (batch.length > 0 && elements + size > MAX_BLOCKS_PER_REQUEST) break;
      batch.push({ node, inline });
      elements += size;
      index += 1;
    }
    const response = await client.blocks.children.append({
      block_id: parentId,
      children: batch.map(({ node, inline }) => toRequest(node, inline)),
    });
    requests += 1;
    for (const [position, { node, inline }] of batch.entries()) {
      if (inline || node.children.length === 0) continue;
      const created = response.results[position];
      if (created === undefined)
        throw new Error(`append to ${parentId} returned fewer blocks than it was sent`);
      requests += await appendBlockTree(client, created.id, node.children);
    }
  }
  return requests;
}
