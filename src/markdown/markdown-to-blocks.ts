/**
 * Markdown → Notion blocks.
 */
import type { BlockObjectRequest } from '@notionhq/client';
import type { BlockNode } from './block-node.js';
import { toRequestBlocks } from './block-requests.js';
import { mdastToBlockTree } from './mdast-to-block-tree.js';
import { mapMarkdownChunks } from './markdown-processor.js';

/** Parse markdown into the converter's normal-form block tree (no limits applied yet), chunk by chunk. */
export function markdownToBlockTree(markdown: string): BlockNode[] {
  return mapMarkdownChunks(markdown, mdastToBlockTree);
}

/**
 * Convert markdown into SDK `BlockObjectRequest` trees. Per-item limits are applied (2,000 characters per
 * text item, split at word boundaries; 100 rich-text items per array; 1,000-character equations);
 * children are nested at any depth, so pass the result to {@link planAppends} to get requests that
 * also respect the 100-children and two-levels-of-nesting limits.
 *
 * @example
 * ```ts
 * const blocks = markdownToBlocks('# Title\n\n- one\n  - two\n');
 * const plan = planAppends(blocks);
 * await writeBlocks(writer, pageId, plan);
 * ```
 * @throws UnsupportedBlockError for directives of read-only blocks (child_page, link_preview, …)
 * @throws LimitExceededError for values Notion rejects and that cannot be split (a 1,001-char equation)
 */
export function markdownToBlocks(markdown: string): BlockObjectRequest[] {
  return markdownToBlockTree(markdown).flatMap(toRequestBlocks);
}
