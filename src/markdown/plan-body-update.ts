/**
 * The body-update planner: from a page's current block tree and new markdown, the fewest API calls that
 * make the page say the new markdown — keep what is unchanged, update in place what changed but kept its
 * type, insert what is new right where it belongs, delete the rest. Never delete-and-re-append the body.
 *
 * Method: each sibling sequence is diffed by a longest common subsequence over subtree signatures (type
 * + content hash of the whole subtree). Between two kept blocks, old and new blocks of the same type are
 * paired in order and updated (payload only if it changed), and their children are diffed the same way;
 * the leftovers are deleted or inserted.
 */
import { createHash } from 'node:crypto';
import { DestructiveChangeError } from '../errors.js';
import type { BlockNode, FetchedBlock } from './block-node.js';
import { READ_ONLY_TYPES, nodeFromFetched, ownSignature } from './block-node.js';
import { toRequestBlocks, updatePayload } from './block-requests.js';
import { markdownToBlockTree } from './markdown-to-blocks.js';
import { appendOps } from './plan-appends.js';
import type { AppendPlacement, BlockRef, WriteOp, WritePlan } from './write-plan.js';

/** Cells of the LCS table above which the diff falls back to a greedy match (memory bound). */
const MAX_LCS_CELLS = 4_000_000;

/** Options of {@link planBodyUpdate}. */
export interface PlanBodyUpdateOptions {
  /**
   * Allow deleting child pages and child databases that the new markdown no longer contains. Deleting one
   * trashes a whole page, so by default the planner refuses. @default false
   */
  allowDeletingPages?: boolean;
}

/** What {@link planBodyUpdate} decided, with the plan to run through `writeBlocks`. */
export interface BodyUpdatePlan extends WritePlan {
  /** Blocks kept as they are (counted at every level). */
  kept: number;
}

function hash(s: string): string {
  return createHash('sha1').update(s).digest('base64url');
}

function subtreeSignature(node: BlockNode, memo: Map<BlockNode, string>): string {
  const cached = memo.get(node);
  if (cached) return cached;
  const sig = hash(`${ownSignature(node)}[${node.children.map((c) => subtreeSignature(c, memo)).join(',')}]`);
  memo.set(node, sig);
  return sig;
}

/** Index pairs (i in a, j in b) of a longest common subsequence of two signature lists. */
export function commonSubsequence(a: readonly string[], b: readonly string[]): [number, number][] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const out: [number, number][] = [];
  for (let k = 0; k < pre; k++) out.push([k, k]);
  const a2 = a.slice(pre, a.length - suf);
  const b2 = b.slice(pre, b.length - suf);
  const n = a2.length;
  const m = b2.length;
  if (n > 0 && m > 0) {
    if ((n + 1) * (m + 1) <= MAX_LCS_CELLS) {
      const table = new Uint32Array((n + 1) * (m + 1));
      const at = (i: number, j: number): number => table[i * (m + 1) + j] as number;
      for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) {
          table[i * (m + 1) + j] =
            a2[i] === b2[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
        }
      }
      let i = 0;
      let j = 0;
      while (i < n && j < m) {
        if (a2[i] === b2[j]) {
          out.push([pre + i, pre + j]);
          i++;
          j++;
        } else if (at(i + 1, j) >= at(i, j + 1)) i++;
        else j++;
      }
    } else {
      // Greedy: match each new signature to the next unused equal old one, in order.
      const positions = new Map<string, number[]>();
      a2.forEach((s, i) => positions.set(s, [...(positions.get(s) ?? []), i]));
      let floor = 0;
      b2.forEach((s, j) => {
        const list = positions.get(s);
        while (list && list.length > 0 && (list[0] as number) < floor) list.shift();
        const i = list?.shift();
        if (i !== undefined) {
          out.push([pre + i, pre + j]);
          floor = i + 1;
        }
      });
    }
  }
  for (let k = suf; k > 0; k--) out.push([a.length - k, b.length - k]);
  return out;
}

/** Whether `oldNode` can become `newNode` through `blocks.update`. */
function updatable(oldNode: BlockNode, newNode: BlockNode): boolean {
  if (oldNode.type !== newNode.type || READ_ONLY_TYPES.has(oldNode.type)) return false;
  if (oldNode.type === 'table') return oldNode.data['table_width'] === newNode.data['table_width'];
  if (oldNode.type === 'synced_block') return JSON.stringify(oldNode.data) === JSON.stringify(newNode.data);
  // A media block can change its URL, not its hosting type.
  if (typeof oldNode.data['type'] === 'string') return oldNode.data['type'] === newNode.data['type'];
  return true;
}

/** Payload fields an update must clear explicitly because the new block no longer has them. */
function clearedFields(oldNode: BlockNode, newNode: BlockNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(oldNode.data)) {
    if (k in newNode.data) continue;
    if (Array.isArray(v)) out[k] = [];
    else if (k === 'color') out[k] = 'default';
    else if (typeof v === 'boolean') out[k] = false;
    else out[k] = null;
  }
  return out;
}

class BodyDiff {
  readonly ops: WriteOp[] = [];
  kept = 0;
  readonly #memo = new Map<BlockNode, string>();

  constructor(private readonly options: PlanBodyUpdateOptions) {}

  #sig = (n: BlockNode): string => subtreeSignature(n, this.#memo);

  #ref(node: BlockNode): BlockRef {
    return { kind: 'id', id: node.id as string };
  }

  #count(node: BlockNode): number {
    return 1 + node.children.reduce((n, c) => n + this.#count(c), 0);
  }

  #delete(node: BlockNode): void {
    if ((node.type === 'child_page' || node.type === 'child_database') && !this.options.allowDeletingPages) {
      throw new DestructiveChangeError(
        `The new markdown drops a ${node.type} (${node.id ?? 'unknown id'}); deleting it would trash a whole page.`,
        { hint: 'Keep its directive in the markdown, or pass allowDeletingPages: true.' },
      );
    }
    this.ops.push({ kind: 'delete', block: this.#ref(node) });
  }

  #insert(parent: BlockRef, nodes: BlockNode[], after: BlockRef | undefined): BlockRef | undefined {
    if (nodes.length === 0) return after;
    const placement: AppendPlacement =
      after === undefined ? { kind: 'start' } : { kind: 'after', block: after };
    const { ops, last } = appendOps(nodes.flatMap(toRequestBlocks), {
      parent,
      placement,
      firstOp: this.ops.length,
    });
    this.ops.push(...ops);
    return last ?? after;
  }

  /** Diff the children of `parent`; `atEnd` tells whether new blocks after the last old one go at the end. */
  diff(parent: BlockRef, oldNodes: readonly BlockNode[], newNodes: readonly BlockNode[]): void {
    const matches = commonSubsequence(oldNodes.map(this.#sig), newNodes.map(this.#sig));
    let prevOld = -1;
    let prevNew = -1;
    let anchor: BlockRef | undefined;
    const appendAtEnd = oldNodes.length === 0;
    for (const [oi, ni] of [...matches, [oldNodes.length, newNodes.length] as [number, number]]) {
      const olds = oldNodes.slice(prevOld + 1, oi);
      const news = newNodes.slice(prevNew + 1, ni);
      let pending: BlockNode[] = [];
      let o = 0;
      for (const n of news) {
        // Pair with the next old block of an updatable type, deleting the old blocks skipped over.
        let k = o;
        while (k < olds.length && !updatable(olds[k] as BlockNode, n)) k++;
        if (k < olds.length) {
          anchor = this.#flush(parent, pending, anchor, appendAtEnd);
          pending = [];
          for (; o < k; o++) this.#delete(olds[o] as BlockNode);
          const old = olds[o++] as BlockNode;
          if (ownSignature(old) !== ownSignature(n)) {
            this.ops.push({
              kind: 'update',
              block: this.#ref(old),
              payload: { [old.type]: { ...clearedFields(old, n), ...(updatePayload(n)[n.type] as object) } },
            });
          } else this.kept++;
          this.diff(this.#ref(old), old.children, n.children);
          anchor = this.#ref(old);
        } else {
          pending.push(n);
        }
      }
      for (; o < olds.length; o++) this.#delete(olds[o] as BlockNode);
      anchor = this.#flush(parent, pending, anchor, appendAtEnd);
      const kept = oldNodes[oi];
      if (kept !== undefined) {
        this.kept += this.#count(kept);
        anchor = this.#ref(kept);
      }
      prevOld = oi;
      prevNew = ni;
    }
  }

  #flush(
    parent: BlockRef,
    pending: BlockNode[],
    anchor: BlockRef | undefined,
    atEnd: boolean,
  ): BlockRef | undefined {
    if (pending.length === 0) return anchor;
    if (atEnd) {
      const { ops, last } = appendOps(pending.flatMap(toRequestBlocks), { parent, firstOp: this.ops.length });
      this.ops.push(...ops);
      return last;
    }
    return this.#insert(parent, pending, anchor);
  }
}

/**
 * Plan the API calls that turn a page body (its current block tree, as fetched) into `newMarkdown`.
 * Run the plan with `writeBlocks(writer, pageId, plan)`. A one-line edit costs one update call.
 *
 * @example
 * ```ts
 * const current = await fetchBlockTree(source, pageId);
 * const plan = planBodyUpdate(current, newMarkdown);
 * await writeBlocks(writer, pageId, plan);
 * ```
 * @throws DestructiveChangeError when the new markdown drops a child page or database (see options)
 * @throws UnsupportedBlockError when the new markdown adds a block Notion cannot create
 */
export function planBodyUpdate(
  currentBlocks: readonly FetchedBlock[] | readonly BlockNode[],
  newMarkdown: string,
  options: PlanBodyUpdateOptions = {},
): BodyUpdatePlan {
  const current = currentBlocks.map((b) => ('block' in b ? nodeFromFetched(b) : b));
  const diff = new BodyDiff(options);
  diff.diff({ kind: 'root' }, current, markdownToBlockTree(newMarkdown));
  return { ops: diff.ops, kept: diff.kept };
}
