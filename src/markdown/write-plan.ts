/**
 * A write plan: the API calls that create or change a page body, in order. Blocks created by an append
 * are only known by id after the call returns, so later ops name them by reference.
 */
import type { BlockObjectRequest } from '@notionhq/client';

/**
 * A block an op acts on:
 * - `root`: the page or block passed to `writeBlocks`;
 * - `id`: an existing block;
 * - `created`: a block created by op `op`; `path[0]` indexes the top-level blocks that append returned,
 *   further indexes walk into their children (the executor lists those children to learn their ids).
 */
export type BlockRef =
  { kind: 'root' } | { kind: 'id'; id: string } | { kind: 'created'; op: number; path: readonly number[] };

/** Where an append puts its blocks among the parent's children. */
export type AppendPlacement = { kind: 'end' } | { kind: 'start' } | { kind: 'after'; block: BlockRef };

/** `PATCH /blocks/{parent}/children`: ≤ 100 top-level blocks, ≤ 2 nested levels, ≤ 1,000 blocks, ≤ 500 KB. */
export interface AppendOp {
  kind: 'append';
  parent: BlockRef;
  children: BlockObjectRequest[];
  placement: AppendPlacement;
}

/** `PATCH /blocks/{id}` with the `<type>` payload. */
export interface UpdateOp {
  kind: 'update';
  block: BlockRef;
  /** `{ <type>: {...} }`, without children. */
  payload: Record<string, unknown>;
}

/** `DELETE /blocks/{id}` (moves the block and its subtree to the trash). */
export interface DeleteOp {
  kind: 'delete';
  block: BlockRef;
}

export type WriteOp = AppendOp | UpdateOp | DeleteOp;

/** An ordered list of ops; op `i` may refer to blocks created by ops `< i`. */
export interface WritePlan {
  ops: WriteOp[];
}
