/**
 * Notion blocks → markdown: fetch a block tree through a {@link BlockSource} with the minimum number
 * of children reads, then render it in the canonical form.
 */
import type { BlockObjectRequest, BlockObjectResponse } from '@notionhq/client';
import type { BlockNode, FetchedBlock } from './block-node.js';
import { nodeFromRequest } from './block-node.js';
import type { BlockSource } from './block-source.js';
import { writeCanonical } from './canonical-writer.js';

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
  const list = async (id: string): Promise<BlockObjectResponse[]> => {
    const out: BlockObjectResponse[] = [];
    if (source.listChildPages) {
      for await (const page of source.listChildPages(id)) for (const block of page) out.push(block);
    } else {
      for await (const block of source.listChildren(id)) out.push(block);
    }
    return out;
  };
  const fetchChildren = async (id: string): Promise<FetchedBlock[]> => {
    const blocks = await run(() => list(id));
    const tree: FetchedBlock[] = blocks.map((block) => ({ block, children: [] }));
    // Only blocks that own children cost a promise; the rest are leaves.
    const reads: Promise<void>[] = [];
    for (const node of tree) {
      if (ownsChildren(node.block))
        reads.push(fetchChildren(node.block.id).then((children) => void (node.children = children)));
    }
    if (reads.length > 0) await Promise.all(reads);
    return tree;
  };
  return fetchChildren(rootId);
}

/**
 * Render normal-form nodes as canonical markdown: byte-identical to remark-stringify's output for
 * `blocksToMdast(nodes)`, written directly (see canonical-writer.ts).
 */
export function blockNodesToMarkdown(nodes: readonly BlockNode[]): string {
  return writeCanonical(nodes);
}

/** Render an already-fetched block tree as canonical markdown (pure; no API calls), straight from the response JSON. */
export function blockTreeToMarkdown(tree: readonly FetchedBlock[]): string {
  return writeCanonical(tree);
}

/** Render request-shaped blocks (e.g. the output of `markdownToBlocks`) as canonical markdown. */
export function requestBlocksToMarkdown(blocks: readonly BlockObjectRequest[]): string {
  return writeCanonical(blocks.map(nodeFromRequest));
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
