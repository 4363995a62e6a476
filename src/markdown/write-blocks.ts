/**
 * Runs a {@link WritePlan} through a {@link BlockWriter}, resolving references to blocks created by
 * earlier ops.
 */
import type { AppendPosition, BlockWriter } from './block-writer.js';
import type { AppendPlacement, BlockRef, WritePlan } from './write-plan.js';
import { WritePlanError } from './write-plan-error.js';

/** What {@link writeBlocks} did. */
export interface WriteBlocksResult {
  /** Ids of the top-level blocks each op created (empty for update and delete ops). */
  created: string[][];
  /** Writer calls made: one per op plus any children reads needed to resolve nested references. */
  calls: number;
}

/**
 * Execute `plan` under `parentId`, op by op, in order. A failing call rejects with the writer's error;
 * the ops before it have been applied.
 */
export async function writeBlocks(
  writer: BlockWriter,
  parentId: string,
  plan: WritePlan,
): Promise<WriteBlocksResult> {
  const created: string[][] = [];
  const listed = new Map<string, string[]>();
  let calls = 0;

  const childIds = async (id: string): Promise<string[]> => {
    const cached = listed.get(id);
    if (cached) return cached;
    if (!writer.listChildren) {
      throw new WritePlanError('This plan refers to blocks nested inside one append.', {
        hint: 'Give the BlockWriter a listChildren method (blocks.children.list).',
      });
    }
    const ids: string[] = [];
    calls++;
    for await (const child of writer.listChildren(id)) ids.push(child.id);
    listed.set(id, ids);
    return ids;
  };

  const resolve = async (ref: BlockRef): Promise<string> => {
    if (ref.kind === 'root') return parentId;
    if (ref.kind === 'id') return ref.id;
    const [first, ...rest] = ref.path;
    let id = created[ref.op]?.[first ?? -1];
    for (const index of rest) {
      if (id === undefined) break;
      id = (await childIds(id))[index];
    }
    if (id === undefined) {
      throw new WritePlanError(`Op ${ref.op} did not create a block at path ${ref.path.join('.')}.`, {
        hint: 'Run ops in plan order, and check that the writer returns the created blocks.',
      });
    }
    return id;
  };

  const position = async (p: AppendPlacement): Promise<AppendPosition | undefined> => {
    if (p.kind === 'end') return undefined;
    if (p.kind === 'start') return { type: 'start' };
    return { type: 'after_block', after_block: { id: await resolve(p.block) } };
  };

  for (const op of plan.ops) {
    switch (op.kind) {
      case 'append': {
        const parent = await resolve(op.parent);
        const result = await writer.append(parent, op.children, await position(op.placement));
        calls++;
        created.push(result.map((b) => b.id));
        break;
      }
      case 'update':
        await writer.update(await resolve(op.block), op.payload);
        calls++;
        created.push([]);
        break;
      case 'delete':
        await writer.delete(await resolve(op.block));
        calls++;
        created.push([]);
        break;
    }
  }
  return { created, calls };
}
