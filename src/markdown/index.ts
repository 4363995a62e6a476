/**
 * Notion blocks ↔ markdown, round-trip stable in the canonical form of docs/markdown.md, within Notion's
 * write limits, and minimal in API calls.
 * @module
 */
export type { BlockNode, FetchedBlock, RichItem, RichAnnotations } from './block-node.js';
export { nodeFromFetched, nodeFromRequest, contentOf } from './block-node.js';
export type { BlockSource } from './block-source.js';
export type { BlockWriter, AppendPosition } from './block-writer.js';
export {
  blocksToMarkdown,
  blockTreeToMarkdown,
  blockNodesToMarkdown,
  requestBlocksToMarkdown,
  fetchBlockTree,
  DEFAULT_FETCH_CONCURRENCY,
} from './blocks-to-markdown.js';
export type { FetchBlockTreeOptions } from './blocks-to-markdown.js';
export { markdownToBlocks, markdownToBlockTree } from './markdown-to-blocks.js';
export { toRequestBlocks } from './block-requests.js';
export { planAppends } from './plan-appends.js';
export type { PlanAppendsOptions } from './plan-appends.js';
export { writeBlocks } from './write-blocks.js';
export type { WriteBlocksResult } from './write-blocks.js';
export { planBodyUpdate } from './plan-body-update.js';
export type { BodyUpdatePlan, PlanBodyUpdateOptions } from './plan-body-update.js';
export type {
  WritePlan,
  WriteOp,
  AppendOp,
  UpdateOp,
  DeleteOp,
  BlockRef,
  AppendPlacement,
} from './write-plan.js';
export { WritePlanError } from './write-plan-error.js';
export { InMemoryBlockStore } from './in-memory-block-store.js';
export { notionBlockSource, listBlockChildren, listBlockChildPages } from './notion-block-source.js';
export { notionBlockWriter } from './notion-block-writer.js';
export { writeCanonical } from './canonical-writer.js';
export type { AnyBlock } from './canonical-writer.js';
export type { BlockStoreCalls } from './in-memory-block-store.js';
export { NOTION_CODE_LANGUAGES, normalizeLanguage } from './code-language.js';
