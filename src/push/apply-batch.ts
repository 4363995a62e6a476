/**
 * Applies one batch of worker changes to Notion: converts every upsert first (bad input fails the batch before
 * anything is written), then writes rows concurrently (each row once per batch after folding, so writes to one
 * page stay ordered), each through the key map: unchanged → no call; changed → only the changed properties;
 * new → a create guarded by a pending write (DESIGN invariant 3); delete → trash.
 */
import type { CreatePageParameters, UpdatePageParameters, BlockObjectRequest } from '@notionhq/client';
import { APIResponseError } from '@notionhq/client';
import type { Clock } from '../clock.js';
import { NotionSyncError, WorkerError } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  fetchBlockTree,
  planAppends,
  planBodyUpdate,
  markdownToBlocks,
  notionBlockSource,
  notionBlockWriter,
  writeBlocks,
} from '../markdown/index.js';
import { OutcomeUnknownError } from '../notion/gateway-errors.js';
import type { NotionGateway } from '../notion/gateway.js';
import { toNotionSyncError } from '../notion/notion-api-error.js';
import type { KeyMapEntry, Store } from '../store/index.js';
import { foldChanges, isStaleUpsert, upstreamUpdatedAtAfter } from '../workers/cycle-planner.js';
import type { WorkerChange, WorkerUpsertChange } from '../workers/sync-driver.js';
import {
  coverRequestOf,
  iconRequestOf,
  tokensToPropertyValues,
  type NotionPropertyWriteValue,
  plainTextOfTokens,
  type UnresolvedRelation,
} from '../workers/token-values.js';
import {
  getWorkerDatabase,
  type WorkerDatabase,
  type WorkerDescription,
} from '../workers/worker-manifest.js';
import { findPagesByKey } from './find-pages-by-key.js';
import type { RowLanes } from './row-lanes.js';
import type { DatabaseBinding, RelationBacklogEntry } from './push-records.js';
import {
  bodyHashOf,
  COVER_HASH_KEY,
  decodeRowHashes,
  encodeRowHashes,
  ICON_HASH_KEY,
  upsertHashes,
  type RowHashes,
} from './row-hashes.js';

/** Creates of one row whose answer was lost and that were proven absent, before the row fails. */
const MAX_CREATE_ATTEMPTS = 3;

/** What happened to one row. */
export type RowAction = 'created' | 'updated' | 'unchanged' | 'deleted' | 'skippedStale' | 'failed';

/** The outcome of one change. */
export interface RowOutcome {
  readonly action: RowAction;
  readonly databaseKey: string;
  readonly key: string;
  /** Properties sent (updates), or every property (creates). Preview shows them. */
  readonly properties?: readonly string[];
  /** The failure, for `failed`. */
  readonly error?: NotionSyncError | Error;
}

/** Everything the batch writer needs. */
export interface PushContext {
  readonly store: Store;
  readonly gateway: NotionGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly description: WorkerDescription;
  /** Database key → binding of every database the batch may write or relate to. */
  readonly bindings: ReadonlyMap<string, DatabaseBinding>;
  /** The sync's own target (data source id) and its cycle number (key map `last_cycle_seen`). */
  readonly syncTarget: string | undefined;
  readonly cycle: number | null;
  /** Rows written at once. */
  readonly concurrency: number;
  /** How long after a create's intent was recorded a lookup that finds nothing proves it did not land, in ms. */
  readonly createSettleMs: number;
  /** Write nothing: only classify each change. */
  readonly preview: boolean;
  /** Email → user id, filled lazily from `users.list`. */
  readonly users: { map?: Map<string, string> };
  /** Orders writes to one row across the batches in flight, with their uncommitted entries (none: one batch). */
  readonly lanes?: RowLanes;
}

/** The result of one batch. */
export interface BatchResult {
  readonly rows: readonly RowOutcome[];
  /** Key map entries to commit with the batch's sync state. */
  readonly entries: readonly KeyMapEntry[];
  /** Relation links to complete later, per row (replacing earlier backlog entries of the same rows). */
  readonly backlogAdded: readonly RelationBacklogEntry[];
  /** Rows whose backlog entries of these properties are superseded. */
  readonly backlogCleared: readonly { target: string; key: string; properties: readonly string[] | 'all' }[];
}

/** An upsert converted to its Notion write. */
export interface PreparedUpsert {
  readonly change: WorkerUpsertChange;
  readonly database: WorkerDatabase;
  readonly properties: Record<string, NotionPropertyWriteValue>;
  readonly unresolved: readonly UnresolvedRelation[];
  readonly hashes: RowHashes;
}

/** Runs `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

async function resolveUserId(ctx: PushContext, email: string): Promise<string | undefined> {
  if (ctx.users.map === undefined) {
    const map = new Map<string, string>();
    for await (const page of ctx.gateway.paginate(ctx.gateway.client.users.list, {})) {
      for (const user of page.results) {
        const u = user as { id: string; type?: string; person?: { email?: string } };
        if (u.type === 'person' && u.person?.email) map.set(u.person.email.toLowerCase(), u.id);
      }
    }
    ctx.users.map = map;
  }
  return ctx.users.map.get(email.toLowerCase());
}

/** Resolves a related row's page id through the key map of its database (undefined: not written yet). */
export async function resolveRelatedPage(
  ctx: PushContext,
  relatedDatabaseKey: string,
  primaryKey: string,
): Promise<string | undefined> {
  const target = ctx.bindings.get(relatedDatabaseKey)?.dataSourceId;
  if (target === undefined) return undefined;
  // A write of that row in flight (an earlier batch) may be creating its page: wait for it.
  await ctx.lanes?.settled(target, primaryKey);
  const entry = await keyMapEntry(ctx, target, primaryKey);
  return entry === undefined || entry.deleted ? undefined : entry.pageId;
}

/** A row's key map entry: the one an uncommitted write produced, else the store's. */
export async function keyMapEntry(
  ctx: PushContext,
  target: string,
  key: string,
): Promise<KeyMapEntry | undefined> {
  return ctx.lanes?.entry(target, key) ?? (await ctx.store.keyMap.get(target, key));
}

/**
 * Notion refuses a status value that is not one of the property's options (unlike select, it never adds one), so
 * an undeclared status is refused here, before anything is written.
 */
function checkStatusOptions(database: WorkerDatabase, change: WorkerUpsertChange): void {
  for (const [property, schema] of Object.entries(database.properties)) {
    if (schema.type !== 'status') continue;
    const value = change.properties[property];
    if (value === undefined) continue;
    const name = plainTextOfTokens(value);
    const allowed = schema.groups.flatMap((g) => g.options.map((o) => o.name));
    if (name !== undefined && name !== '' && !allowed.includes(name)) {
      throw new WorkerError(
        `Row "${change.key}" of database "${database.key}": status "${name}" is not an option of "${property}" (options: ${allowed.map((o) => `"${o}"`).join(', ')})`,
        {
          hint: `Add "${name}" to the status groups of "${property}" in the worker schema, or map the value to a declared option.`,
        },
      );
    }
  }
}

/** A batch folded and converted, ready to write. */
export interface PreparedBatch {
  readonly changes: readonly WorkerChange[];
  readonly upserts: ReadonlyMap<WorkerChange, PreparedUpsert>;
}

/**
 * Folds a batch (last change per key wins) and converts every upsert, writing nothing: people are looked up,
 * relations resolved through the key map (links to rows not written yet are left for the backlog).
 *
 * @throws WorkerError naming the row and property when a value is invalid (wrong type, unknown status option,
 *   unknown email): the batch then writes nothing.
 */
export async function prepareBatch(
  ctx: PushContext,
  changes: readonly WorkerChange[],
): Promise<PreparedBatch> {
  const folded = foldChanges(changes);
  const prepared = new Map<WorkerChange, PreparedUpsert>();
  for (const change of folded) {
    if (change.kind !== 'upsert') continue;
    const database = getWorkerDatabase(ctx.description, change.targetDatabaseKey);
    let converted: Awaited<ReturnType<typeof tokensToPropertyValues>>;
    try {
      converted = await tokensToPropertyValues(database, change.properties, {
        resolveUserId: (email) => resolveUserId(ctx, email),
        resolveRelatedPage: (db, key) => resolveRelatedPage(ctx, db, key),
      });
    } catch (e) {
      if (e instanceof NotionSyncError) {
        throw new WorkerError(`Row "${change.key}" of database "${database.key}": ${e.message}`, {
          cause: e,
          ...(e.hint ? { hint: e.hint } : {}),
        });
      }
      throw e;
    }
    checkStatusOptions(database, change);
    prepared.set(change, {
      change,
      database,
      properties: { ...converted.properties },
      unresolved: converted.unresolvedRelations,
      hashes: upsertHashes(change),
    });
  }
  return { changes: folded, upserts: prepared };
}

/**
 * Writes a prepared batch, rows concurrently (each row once, so writes to one page stay ordered; with
 * `ctx.lanes`, after the writes of the same row by batches still in flight). A row that fails is reported
 * `failed` with its error; the other rows are still written.
 */
export async function writeBatch(ctx: PushContext, batch: PreparedBatch): Promise<BatchResult> {
  const folded = batch.changes;
  const prepared = batch.upserts;
  const entries: KeyMapEntry[] = [];
  const backlogAdded: RelationBacklogEntry[] = [];
  const backlogCleared: { target: string; key: string; properties: readonly string[] | 'all' }[] = [];
  const rows = await mapConcurrent(folded, ctx.concurrency, async (change): Promise<RowOutcome> => {
    const target = ctx.bindings.get(change.targetDatabaseKey)?.dataSourceId;
    const lanes = ctx.lanes;
    if (lanes === undefined || target === undefined) return writeRow(change, target);
    return lanes.run(target, change.key, () => writeRow(change, target));
  });
  return { rows, entries, backlogAdded, backlogCleared };

  async function writeRow(change: WorkerChange, target: string | undefined): Promise<RowOutcome> {
    const keep = (entry: KeyMapEntry | undefined): void => {
      if (entry === undefined) return;
      entries.push(entry);
      ctx.lanes?.remember(entry);
    };
    try {
      const database = getWorkerDatabase(ctx.description, change.targetDatabaseKey);
      if (change.kind === 'delete') {
        const result = await deleteRow(ctx, database, target, change.key);
        keep(result.entry);
        if (target !== undefined) backlogCleared.push({ target, key: change.key, properties: 'all' });
        return { action: result.action, databaseKey: database.key, key: change.key };
      }
      const row = prepared.get(change) as PreparedUpsert;
      const result = await upsertRow(ctx, row, target);
      keep(result.entry);
      if (target !== undefined && result.wrote.length > 0) {
        backlogCleared.push({ target, key: change.key, properties: result.wrote });
        for (const u of row.unresolved) {
          if (result.wrote.includes(u.property)) {
            backlogAdded.push({
              target,
              key: change.key,
              property: u.property,
              relatedDatabaseKey: u.relatedDatabaseKey,
              primaryKeys: u.primaryKeys,
            });
          }
        }
      }
      return { action: result.action, databaseKey: database.key, key: change.key, properties: result.wrote };
    } catch (e) {
      const error = toNotionSyncError(e);
      ctx.logger('warn', 'row failed', { key: change.key, databaseKey: change.targetDatabaseKey, error });
      return {
        action: 'failed',
        databaseKey: change.targetDatabaseKey,
        key: change.key,
        error: error instanceof Error ? error : new Error(String(error)),
      };
    }
  }
}

interface RowWrite {
  readonly action: RowAction;
  readonly entry?: KeyMapEntry;
  /** Properties written. */
  readonly wrote: readonly string[];
}

function nextCycleSeen(ctx: PushContext, target: string, previous: number | null): number | null {
  if (target !== ctx.syncTarget || ctx.cycle === null) return previous;
  return Math.max(previous ?? 0, ctx.cycle);
}

async function upsertRow(
  ctx: PushContext,
  row: PreparedUpsert,
  target: string | undefined,
): Promise<RowWrite> {
  const { change } = row;
  const allProperties = Object.keys(row.properties);
  if (target === undefined) {
    // Preview of a database that does not exist yet.
    return { action: 'created', wrote: allProperties };
  }
  let entry = await keyMapEntry(ctx, target, change.key);
  if (entry === undefined) {
    const pending = await ctx.store.pendingWrites.get(target, change.key);
    if (pending !== undefined) {
      if (ctx.preview) return { action: 'created', wrote: allProperties };
      const adopted = await reconcilePendingCreate(ctx, row.database, target, change.key, pending.createdAt);
      if (adopted !== undefined) entry = adopted;
    }
  }
  if (entry !== undefined && !entry.deleted && isStaleUpsert(change, entry.upstreamUpdatedAt ?? undefined)) {
    return { action: 'skippedStale', wrote: [] };
  }
  if (entry === undefined) return createRow(ctx, row, target);
  return updateRow(ctx, row, target, entry);
}

function iconAndCover(change: WorkerUpsertChange): Pick<UpdatePageParameters, 'icon' | 'cover'> {
  return {
    ...(change.icon !== undefined ? { icon: iconRequestOf(change.icon) } : {}),
    ...(change.cover !== undefined ? { cover: coverRequestOf(change.cover) } : {}),
  };
}

function entryAfterWrite(
  ctx: PushContext,
  row: PreparedUpsert,
  target: string,
  pageId: string,
  previous: KeyMapEntry | undefined,
  hashes: RowHashes,
  bodyHash: string | null,
  wrote: boolean,
): KeyMapEntry {
  return {
    target,
    key: row.change.key,
    pageId,
    contentHash: encodeRowHashes(hashes),
    bodyHash,
    upstreamUpdatedAt: upstreamUpdatedAtAfter(row.change, previous?.upstreamUpdatedAt ?? undefined) ?? null,
    lastCycleSeen: nextCycleSeen(ctx, target, previous?.lastCycleSeen ?? null),
    deleted: false,
    lastWrittenAt: wrote ? isoNow(ctx.clock) : (previous?.lastWrittenAt ?? null),
  };
}

/** Blocks for a new page when one append holds the whole body (then it goes into `pages.create`). */
function inlineChildren(markdown: string | undefined): BlockObjectRequest[] | undefined {
  if (markdown === undefined || markdown === '') return undefined;
  const blocks = markdownToBlocks(markdown);
  const plan = planAppends(blocks);
  const only = plan.ops[0];
  if (
    plan.ops.length === 1 &&
    only?.kind === 'append' &&
    only.parent.kind === 'root' &&
    only.placement.kind === 'end'
  )
    return only.children;
  return undefined;
}

async function createRow(ctx: PushContext, row: PreparedUpsert, target: string): Promise<RowWrite> {
  const { change } = row;
  const wrote = Object.keys(row.properties);
  if (ctx.preview) return { action: 'created', wrote };
  const markdown = change.pageContentMarkdown;
  const children = inlineChildren(markdown);
  const body: CreatePageParameters = {
    parent: { data_source_id: target },
    properties: row.properties as CreatePageParameters['properties'],
    ...iconAndCover(change),
    ...(children ? { children } : {}),
  };
  let pageId: string | undefined;
  for (let attempt = 1; pageId === undefined; attempt++) {
    // Write-ahead record: if we crash or lose the answer from here on, the next attempt looks the key up first.
    const pending = await ctx.store.pendingWrites.record(target, change.key, {
      databaseKey: row.database.key,
    });
    try {
      pageId = (await ctx.gateway.client.pages.create(body)).id;
    } catch (e) {
      if (!(e instanceof OutcomeUnknownError)) {
        // Notion answered with an error: the page was not created.
        await ctx.store.pendingWrites.resolve(target, change.key);
        throw e;
      }
      const adopted = await reconcilePendingCreate(ctx, row.database, target, change.key, pending.createdAt);
      // The create landed (or an earlier one did): bring the adopted page to this change's values.
      if (adopted !== undefined) return updateRow(ctx, row, target, adopted);
      // Proven absent: creating again is safe. Give up after a few lost answers (the row fails this batch).
      if (attempt >= MAX_CREATE_ATTEMPTS) throw e;
    }
  }
  let bodyHash: string | null = null;
  if (markdown !== undefined) {
    if (children === undefined && markdown !== '') await writeBody(ctx, pageId, markdown, true);
    bodyHash = bodyHashOf(markdown);
  }
  const entry = entryAfterWrite(ctx, row, target, pageId, undefined, row.hashes, bodyHash, true);
  // The mapping of a created page commits with the resolution of its pending write, at once: the one fact that
  // must never be lost. The rest of the batch (updates' hashes, the cursor) commits at the batch's end.
  await ctx.store.transaction(async (tx) => {
    await tx.keyMap.upsert(entry);
    await tx.pendingWrites.resolve(target, change.key);
  });
  return { action: 'created', entry, wrote };
}

async function updateRow(
  ctx: PushContext,
  row: PreparedUpsert,
  target: string,
  entry: KeyMapEntry,
): Promise<RowWrite> {
  const { change } = row;
  const previous = decodeRowHashes(entry.contentHash);
  const restoring = entry.deleted;
  const changed = Object.keys(row.properties).filter((p) => restoring || previous[p] !== row.hashes[p]);
  const iconChanged =
    change.icon !== undefined && (restoring || previous[ICON_HASH_KEY] !== row.hashes[ICON_HASH_KEY]);
  const coverChanged =
    change.cover !== undefined && (restoring || previous[COVER_HASH_KEY] !== row.hashes[COVER_HASH_KEY]);
  const markdown = change.pageContentMarkdown;
  const bodyChanged = markdown !== undefined && bodyHashOf(markdown) !== entry.bodyHash;
  const pageChanged = changed.length > 0 || iconChanged || coverChanged || restoring;
  if (!pageChanged && !bodyChanged) {
    return {
      action: 'unchanged',
      entry: entryAfterWrite(
        ctx,
        row,
        target,
        entry.pageId,
        entry,
        { ...previous, ...row.hashes },
        entry.bodyHash,
        false,
      ),
      wrote: [],
    };
  }
  if (ctx.preview) return { action: restoring ? 'created' : 'updated', wrote: changed };
  if (pageChanged) {
    const properties: Record<string, NotionPropertyWriteValue> = {};
    for (const p of changed) properties[p] = row.properties[p] as NotionPropertyWriteValue;
    await updatePage(ctx, entry.pageId, {
      ...(changed.length ? { properties: properties as UpdatePageParameters['properties'] } : {}),
      ...(iconChanged && change.icon ? { icon: iconRequestOf(change.icon) } : {}),
      ...(coverChanged && change.cover ? { cover: coverRequestOf(change.cover) } : {}),
      ...(restoring ? { in_trash: false } : {}),
    });
  }
  if (bodyChanged) await writeBody(ctx, entry.pageId, markdown, false);
  const bodyHash = markdown !== undefined ? bodyHashOf(markdown) : entry.bodyHash;
  return {
    action: 'updated',
    entry: entryAfterWrite(
      ctx,
      row,
      target,
      entry.pageId,
      entry,
      { ...previous, ...row.hashes },
      bodyHash,
      true,
    ),
    wrote: changed,
  };
}

/** A page the user trashed in Notion is restored with the update (the source says the row exists). */
async function updatePage(
  ctx: PushContext,
  pageId: string,
  body: Omit<UpdatePageParameters, 'page_id'>,
): Promise<void> {
  try {
    await ctx.gateway.client.pages.update({ page_id: pageId, ...body });
  } catch (e) {
    if (
      APIResponseError.isAPIResponseError(e) &&
      e.code === 'validation_error' &&
      /archived/i.test(e.message)
    ) {
      await ctx.gateway.client.pages.update({ page_id: pageId, ...body, in_trash: false });
      return;
    }
    throw e;
  }
}

/** Makes the page body say `markdown`, touching only the blocks that differ (planBodyUpdate). */
async function writeBody(ctx: PushContext, pageId: string, markdown: string, isNew: boolean): Promise<void> {
  // Block reads and writes through the gateway's paced, retried client; an append whose outcome is
  // unknown rejects with OutcomeUnknownError, and the next write re-plans the body from what Notion holds.
  const io = notionBlockWriter(ctx.gateway.client);
  const source = notionBlockSource(ctx.gateway.client);
  if (isNew) {
    await writeBlocks(io, pageId, planAppends(markdownToBlocks(markdown)));
    return;
  }
  if (markdown === '') {
    // One call clears the whole body.
    await ctx.gateway.client.pages.update({ page_id: pageId, erase_content: true });
    return;
  }
  const current = await fetchBlockTree(source, pageId);
  await writeBlocks(io, pageId, planBodyUpdate(current, markdown));
}

async function deleteRow(
  ctx: PushContext,
  database: WorkerDatabase,
  target: string | undefined,
  key: string,
): Promise<{ action: RowAction; entry?: KeyMapEntry }> {
  if (target === undefined) return { action: 'unchanged' };
  let entry = await keyMapEntry(ctx, target, key);
  if (entry === undefined && !ctx.preview) {
    const pending = await ctx.store.pendingWrites.get(target, key);
    if (pending !== undefined)
      entry = await reconcilePendingCreate(ctx, database, target, key, pending.createdAt);
  }
  if (entry === undefined || entry.deleted) return { action: 'unchanged' };
  if (ctx.preview) return { action: 'deleted' };
  await trashPage(ctx, entry.pageId);
  return {
    action: 'deleted',
    entry: { ...entry, deleted: true, lastWrittenAt: isoNow(ctx.clock) },
  };
}

/** Trashes a page; a page already gone (404) counts as trashed. */
export async function trashPage(ctx: Pick<PushContext, 'gateway'>, pageId: string): Promise<void> {
  try {
    await ctx.gateway.client.pages.update({ page_id: pageId, in_trash: true });
  } catch (e) {
    if (APIResponseError.isAPIResponseError(e) && e.code === 'object_not_found') return;
    throw e;
  }
}

/**
 * Settles a create whose outcome is unknown (lost answer, timeout, crash): looks the key up in the target by its
 * primary-key property. Found → the oldest page is adopted (mapped, pending write resolved) and any younger
 * duplicates are trashed; not found → the pending write is resolved only once `createSettleMs` has passed since
 * the intent was recorded (waiting for that once, here), because Notion's query index may lag a fresh create.
 * Returns the adopted entry, or `undefined` when the key is proven absent (safe to create).
 *
 * Limits: "proven absent" trusts Notion's query index to reflect a create `createSettleMs` after it was sent;
 * Notion does not document its index lag, so a lag longer than that could still let a duplicate through: raise
 * `createSettleMs` where the index lags more.
 */
export async function reconcilePendingCreate(
  ctx: PushContext,
  database: WorkerDatabase,
  target: string,
  key: string,
  intentAt: string,
): Promise<KeyMapEntry | undefined> {
  let found = await findPagesByKey(ctx.gateway, target, database, key, intentAt);
  if (found.length === 0) {
    const settleAt = Date.parse(intentAt) + ctx.createSettleMs;
    const waitMs = settleAt - ctx.clock.now();
    if (waitMs > 0) {
      await ctx.clock.sleep(waitMs);
      found = await findPagesByKey(ctx.gateway, target, database, key, intentAt);
    }
  }
  const [oldest, ...duplicates] = found;
  if (oldest === undefined) {
    await ctx.store.pendingWrites.resolve(target, key);
    ctx.logger('info', 'pending create not found, creating', { target, key });
    return undefined;
  }
  for (const duplicate of duplicates) {
    ctx.logger('warn', 'duplicate page trashed', { target, key, pageId: duplicate.id, kept: oldest.id });
    await trashPage(ctx, duplicate.id);
  }
  const entry: KeyMapEntry = {
    target,
    key,
    pageId: oldest.id,
    // Unknown content: the next write sends every property and re-plans the body from what the page holds.
    contentHash: null,
    bodyHash: null,
    upstreamUpdatedAt: null,
    lastCycleSeen: null,
    deleted: false,
    lastWrittenAt: isoNow(ctx.clock),
  };
  await ctx.store.transaction(async (tx) => {
    await tx.keyMap.upsert(entry);
    await tx.pendingWrites.resolve(target, key);
  });
  ctx.logger('info', 'pending create adopted', {
    target,
    key,
    pageId: oldest.id,
    duplicates: duplicates.length,
  });
  return entry;
}

/** Settles every pending create of a target (the recovery pass at the start of a run). Returns how many. */
export async function reconcileTarget(
  ctx: PushContext,
  database: WorkerDatabase,
  target: string,
): Promise<number> {
  const pending = await ctx.store.pendingWrites.list(target);
  for (const p of pending) await reconcilePendingCreate(ctx, database, target, p.key, p.createdAt);
  return pending.length;
}
