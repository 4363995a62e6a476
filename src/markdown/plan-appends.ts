/**
 * The append planner: turns block trees of any depth and width into the fewest append requests that
 * each respect Notion's limits (notion-api-facts.md §7):
 * ≤ 100 top-level children, ≤ 2 levels of nesting below them, ≤ 1,000 blocks and ≤ 500 KB per request.
 *
 * Strategy: a top-level block whose whole subtree fits goes in whole. Otherwise it goes in without its
 * children, and its children become the top level of a later append to it — its id is then known from
 * that append's response, so no extra read is needed. Tables go in with their first 100 rows (Notion
 * needs rows on create); column lists go in with their columns and each column's first blocks, and only
 * deeper content of columns needs the executor to list children to learn ids. Work proceeds level by
 * level, so a single chain of depth d ≥ 3 costs d − 2 appends and a flat body of n blocks ⌈n / 100⌉.
 */
import type { BlockObjectRequest } from '@notionhq/client';
import {
  MAX_APPEND_NESTING_LEVELS,
  MAX_ARRAY_ITEMS,
  MAX_BLOCKS_PER_APPEND,
  MAX_BLOCKS_PER_REQUEST,
  MAX_PAYLOAD_BYTES,
} from '../notion/limits.js';
import type { AppendOp, AppendPlacement, BlockRef, WriteOp, WritePlan } from './write-plan.js';

type Req = BlockObjectRequest;

/** Bytes kept free in each request for the envelope (`{"children":[…],"position":…}`). */
const ENVELOPE_BYTES = 1_024;

/** The `<type>` payload of a request block. */
function payloadOf(block: Req): Record<string, unknown> {
  const type = (block as { type?: string }).type ?? '';
  return ((block as unknown as Record<string, unknown>)[type] ?? {}) as Record<string, unknown>;
}

/** Children nested inside a request block's payload. */
export function childrenOf(block: Req): Req[] {
  const c = payloadOf(block)['children'];
  return Array.isArray(c) ? (c as Req[]) : [];
}

/** A copy of `block` with `children` replaced (or removed when empty). */
export function withChildren(block: Req, children: readonly Req[]): Req {
  const type = (block as { type?: string }).type ?? '';
  const { children: _old, ...rest } = payloadOf(block);
  const payload = children.length > 0 ? { ...rest, children } : rest;
  return { ...block, [type]: payload } as Req;
}

function typeOf(block: Req): string {
  return (block as { type?: string }).type ?? '';
}

/** Levels of a subtree, counting the block itself. */
function depth(block: Req): number {
  const c = childrenOf(block);
  return c.length === 0 ? 1 : 1 + Math.max(...c.map(depth));
}

function countBlocks(block: Req): number {
  return 1 + childrenOf(block).reduce((n, c) => n + countBlocks(c), 0);
}

function widthOk(block: Req): boolean {
  const c = childrenOf(block);
  return c.length <= MAX_ARRAY_ITEMS && c.every(widthOk);
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Whether a block's whole subtree can ride in one request at the top level. */
function fitsWhole(block: Req): boolean {
  return (
    depth(block) <= MAX_APPEND_NESTING_LEVELS + 1 &&
    widthOk(block) &&
    countBlocks(block) <= MAX_BLOCKS_PER_REQUEST &&
    bytes(block) <= MAX_PAYLOAD_BYTES - ENVELOPE_BYTES
  );
}

interface Deferred {
  /** Path from the top-level block of the op to the parent of `children`. */
  path: number[];
  children: Req[];
}

/** The part of `block` that goes into this request, and what must follow in later appends. */
function cut(block: Req): { head: Req; deferred: Deferred[] } {
  if (fitsWhole(block)) return { head: block, deferred: [] };
  const children = childrenOf(block);
  const type = typeOf(block);
  if (type === 'table') {
    // A table is created with rows; rows are leaves, so only the count can be over.
    return {
      head: withChildren(block, children.slice(0, MAX_ARRAY_ITEMS)),
      deferred:
        children.length > MAX_ARRAY_ITEMS ? [{ path: [], children: children.slice(MAX_ARRAY_ITEMS) }] : [],
    };
  }
  if (type === 'column_list') {
    // Columns must be created with content: keep each column's first blocks (without their own
    // children) and defer the rest, addressed by path.
    const deferred: Deferred[] = [];
    const columns = children.map((column, c) => {
      const content = childrenOf(column);
      const head = content.slice(0, MAX_ARRAY_ITEMS).map((b, k) => {
        if (childrenOf(b).length > 0) deferred.push({ path: [c, k], children: childrenOf(b) });
        return withChildren(b, []);
      });
      if (content.length > MAX_ARRAY_ITEMS)
        deferred.push({ path: [c], children: content.slice(MAX_ARRAY_ITEMS) });
      return withChildren(column, head);
    });
    return { head: withChildren(block, columns), deferred };
  }
  return { head: withChildren(block, []), deferred: children.length > 0 ? [{ path: [], children }] : [] };
}

interface Task {
  parent: BlockRef;
  blocks: Req[];
  placement: AppendPlacement;
}

/** Options of {@link planAppends}. */
export interface PlanAppendsOptions {
  /** Parent of the blocks. @default { kind: 'root' } */
  parent?: BlockRef;
  /** Where the first block goes. @default { kind: 'end' } */
  placement?: AppendPlacement;
  /** Index of the first op in a larger plan (refs in ops are absolute). @default 0 */
  firstOp?: number;
}

/** What {@link appendOps} produced: the ops, and a ref to the last top-level block placed. */
export interface AppendOpsResult {
  ops: AppendOp[];
  last: BlockRef | undefined;
}

/** Plan the appends for `blocks` as ops numbered from `options.firstOp`. */
export function appendOps(blocks: readonly Req[], options: PlanAppendsOptions = {}): AppendOpsResult {
  const firstOp = options.firstOp ?? 0;
  const ops: AppendOp[] = [];
  let last: BlockRef | undefined;
  const queue: Task[] = [
    {
      parent: options.parent ?? { kind: 'root' },
      blocks: [...blocks],
      placement: options.placement ?? { kind: 'end' },
    },
  ];
  for (let t = 0; t < queue.length; t++) {
    const task = queue[t] as Task;
    const isFirstTask = t === 0;
    let op: AppendOp | undefined;
    let opBlocks = 0;
    let opBytes = 0;
    for (const block of task.blocks) {
      const { head, deferred } = cut(block);
      const n = countBlocks(head);
      const b = bytes(head);
      if (
        op === undefined ||
        op.children.length >= MAX_BLOCKS_PER_APPEND ||
        opBlocks + n > MAX_BLOCKS_PER_REQUEST ||
        opBytes + b > MAX_PAYLOAD_BYTES - ENVELOPE_BYTES
      ) {
        // A follow-up chunk goes right after the previous chunk's last block, unless appending at the end.
        const placement: AppendPlacement =
          op === undefined || task.placement.kind === 'end'
            ? task.placement
            : {
                kind: 'after',
                block: { kind: 'created', op: firstOp + ops.indexOf(op), path: [op.children.length - 1] },
              };
        op = { kind: 'append', parent: task.parent, children: [], placement };
        ops.push(op);
        opBlocks = 0;
        opBytes = 0;
      }
      const opIndex = firstOp + ops.length - 1;
      const index = op.children.length;
      op.children.push(head);
      opBlocks += n;
      opBytes += b;
      if (isFirstTask) last = { kind: 'created', op: opIndex, path: [index] };
      for (const d of deferred) {
        queue.push({
          parent: { kind: 'created', op: opIndex, path: [index, ...d.path] },
          blocks: d.children,
          // Deferred children are all of the parent's remaining children, so they go at its end.
          placement: { kind: 'end' },
        });
      }
    }
  }
  return { ops, last };
}

/**
 * Plan the minimal sequence of append requests that creates `blocks` (nested at any depth, as
 * `markdownToBlocks` returns them) under a parent. Run it with {@link writeBlocks}.
 */
export function planAppends(blocks: readonly Req[], options: PlanAppendsOptions = {}): WritePlan {
  const ops: WriteOp[] = appendOps(blocks, options).ops;
  return { ops };
}
