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

/** A counting semaphore: at most `limit` holders at once; a released slot passes straight to the next waiter. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = limit;
  }

  /** Undefined when a slot was free (taken now); else a promise of one. */
  acquire(): Promise<void> | undefined {
    if (this.free > 0) {
      this.free--;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
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
  const slots = new Slots(Math.max(1, options.concurrency ?? DEFAULT_FETCH_CONCURRENCY));
  const read = async (id: string): Promise<BlockObjectResponse[]> => {
    const wait = slots.acquire();
    if (wait) await wait;
    try {
      const out: BlockObjectResponse[] = [];
      if (source.listChildPages) {
        for await (const page of source.listChildPages(id)) for (const block of page) out.push(block);
      } else {
        for await (const block of source.listChildren(id)) out.push(block);
      }
      return out;
    } finally {
      slots.release();
    }
  };
  const fill = async (node: FetchedBlock): Promise<void> => {
    node.children = await fetchChildren(node.block.id);
  };
  const fetchChildren = async (id: string): Promise<FetchedBlock[]> => {
    const blocks = await read(id);
    const tree: FetchedBlock[] = [];
    // Only blocks that own children cost a promise; the rest are leaves.
    let reads: Promise<void>[] | undefined;
    for (const block of blocks) {
      const node: FetchedBlock = { block, children: [] };
      tree.push(node);
      if (ownsChildren(block)) (reads ??= []).push(fill(node));
    }
    if (reads) await Promise.all(reads);
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
