/**
 * Notion blocks → markdown: fetch a block tree through a {@link BlockSource} with the minimum number
 * of children reads, then render it in the canonical form.
 */
import type { BlockObjectRequest, BlockObjectResponse } from '@notionhq/client';
import type { BlockNode, FetchedBlock } from './block-node.js';
import { nodeFromFetched, nodeFromRequest } from './block-node.js';
import type { BlockSource } from './block-source.js';
import { blocksToMdast } from './block-tree-to-mdast.js';
import { serializeCanonical } from './canonical-serializer.js';

/** Children reads in flight at once, by default (Notion's average rate is 3 requests/s). */
export const DEFAULT_FETCH_CONCURRENCY = 3;

/** Options of {@link fetchBlockTree} and {@link blocksToMarkdown}. */
export interface FetchBlockTreeOptions {
  /** Children reads in flight at once across the whole tree. @default DEFAULT_FETCH_CONCURRENCY (3) */
  concurrency?: number;
}

/**
 * Whether a block's children belong to this body: child pages and databases are bodies of their own,
 * and a synced-block reference only mirrors its original (written back as a reference, without children).
 */
function ownsChildren(block: BlockObjectResponse): boolean {
  if (!block.has_children) return false;
  if (block.type === 'child_page' || block.type === 'child_database') return false;
  if (block.type === 'synced_block' && block.synced_block.synced_from !== null) return false;
  return true;
}

/** A counting semaphore: at most `limit` tasks run at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Read the whole block tree under `rootId`: one children read per block that has children (paginated
 * by the source), siblings' children read concurrently, never a block read twice.
 */
export async function fetchBlockTree(
  source: BlockSource,
  rootId: string,
  options: FetchBlockTreeOptions = {},
): Promise<FetchedBlock[]> {
  const run = limiter(Math.max(1, options.concurrency ?? DEFAULT_FETCH_CONCURRENCY));
  const fetchChildren = async (id: string): Promise<FetchedBlock[]> => {
    const blocks = await run(async () => {
      const out: BlockObjectResponse[] = [];
      for await (const block of source.listChildren(id)) out.push(block);
      return out;
    });
    // Only blocks that own children cost a promise; the rest are leaves.
    const children = await Promise.all(
      blocks.map((b) => (ownsChildren(b) ? fetchChildren(b.id) : undefined)),
    );
    return blocks.map((block, i) => ({ block, children: children[i] ?? [] }));
  };
  return fetchChildren(rootId);
}

/**
 * Render normal-form nodes as canonical markdown: byte-identical to remark-stringify's output for the
 * same mdast (see canonical-serializer.ts), written directly where no escaping is needed.
 */
export function blockNodesToMarkdown(nodes: readonly BlockNode[]): string {
  return serializeCanonical(blocksToMdast(nodes));
}

/** Render an already-fetched block tree as canonical markdown (pure; no API calls). */
export function blockTreeToMarkdown(tree: readonly FetchedBlock[]): string {
  return blockNodesToMarkdown(tree.map(nodeFromFetched));
}

/** Render request-shaped blocks (e.g. the output of `markdownToBlocks`) as canonical markdown. */
export function requestBlocksToMarkdown(blocks: readonly BlockObjectRequest[]): string {
  return blockNodesToMarkdown(blocks.map(nodeFromRequest));
}

/**
 * Fetch the body of `rootId` (a page or block) and render it as canonical markdown.
 *
 * @example
 * ```ts
 * const markdown = await blocksToMarkdown(source, pageId, { concurrency: 3 });
 * ```
 */
export async function blocksToMarkdown(
  source: BlockSource,
  rootId: string,
  options: FetchBlockTreeOptions = {},
): Promise<string> {
  return blockTreeToMarkdown(await fetchBlockTree(source, rootId, options));
}
