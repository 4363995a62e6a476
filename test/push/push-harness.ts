/**
 * Shared setup of the push engine's tests: an emulator in-process, a fresh in-memory store, a gateway on a
 * token of its own (so its pacer is not shared with other tests), and readers of what Notion holds.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@notionhq/client';
import type { PageObjectResponse } from '@notionhq/client';
import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';
import { createGateway, type GatewayOptions } from '../../src/notion/create-gateway.js';
import type { NotionGateway } from '../../src/notion/gateway.js';
import { readPageProperties } from '../../src/notion/properties/codec-registry.js';
import { getDatabaseBinding } from '../../src/push/push-records.js';
import { runSyncCycle, type RunSyncCycleOptions } from '../../src/push/run-sync-cycle.js';
import type { SyncRunOutcome } from '../../src/push/sync-run-outcome.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { LoadedWorker } from '../../src/workers/load-worker.js';

export interface PushHarness {
  readonly emulator: EmulatorHandle;
  readonly store: Store;
  readonly gateway: NotionGateway;
  /** A plain SDK client on the emulator, for checking what Notion holds (not counted in the gateway's calls). */
  readonly notion: Client;
  readonly parentPageId: string;
  /** Runs one cycle with the harness's store, gateway and parent page. */
  run(worker: LoadedWorker, syncKey: string, extra?: Partial<RunSyncCycleOptions>): Promise<SyncRunOutcome>;
  /** The data source bound to a worker database. */
  dataSourceOf(databaseKey: string): Promise<string>;
  /** Every live row of a database: primary key → page id and plain properties. */
  rows(databaseKey: string, primaryKey: string): Promise<Map<string, LiveRow>>;
  /** The body of a page as block types and plain texts, in order (top level). */
  body(pageId: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface LiveRow {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly page: PageObjectResponse;
}

export async function startPushHarness(
  options: { emulator?: EmulatorOptions; gateway?: Partial<GatewayOptions> } = {},
): Promise<PushHarness> {
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const store = await openStore('sqlite::memory:');
  const token = `ntn_push${randomUUID().replace(/-/g, '')}`;
  const gateway = createGateway({
    token,
    baseUrl: emulator.url,
    requestsPerSecond: 1_000,
    burst: 1_000,
    requestTimeoutMs: 2_000,
    retry: { baseDelayMs: 1, maxDelayMs: 20, maxAttempts: 8 },
    ...options.gateway,
  });
  const notion = new Client({ auth: token, baseUrl: emulator.url });
  const parentPageId = emulator.rootPageId as string;
  const dataSourceOf = async (databaseKey: string): Promise<string> => {
    const binding = await getDatabaseBinding(store, databaseKey);
    if (!binding) throw new Error(`database ${databaseKey} is not bound`);
    return binding.dataSourceId;
  };
  return {
    emulator,
    store,
    gateway,
    notion,
    parentPageId,
    run: (worker, syncKey, extra = {}) =>
      runSyncCycle({
        store,
        gateway,
        worker,
        workerModulePath: 'test-worker',
        syncKey,
        parentPageId,
        createSettleMs: 0,
        ...extra,
      }),
    dataSourceOf,
    async rows(databaseKey, primaryKey) {
      const dataSourceId = await dataSourceOf(databaseKey);
      const out = new Map<string, LiveRow>();
      let cursor: string | undefined;
      do {
        const page = await notion.dataSources.query({ data_source_id: dataSourceId, start_cursor: cursor });
        for (const r of page.results as PageObjectResponse[]) {
          const properties: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(readPageProperties(r))) {
            // Text properties compare by their plain text.
            properties[name] =
              value !== null && typeof value === 'object' && 'text' in value ? value.text : value;
          }
          const key = properties[primaryKey];
          if (typeof key !== 'string') throw new Error(`row ${r.id} has no text primary key`);
          if (out.has(key)) throw new Error(`duplicate page for key ${key}`);
          out.set(key, { id: r.id, properties, page: r });
        }
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return out;
    },
    async body(pageId) {
      const list = await notion.blocks.children.list({ block_id: pageId });
      return list.results.map((b) => {
        const block = b as { type: string } & Record<string, { rich_text?: { plain_text: string }[] }>;
        const text = block[block.type]?.rich_text?.map((t) => t.plain_text).join('') ?? '';
        return `${block.type}:${text}`;
      });
    },
    async close() {
      await store.close();
      await emulator.stop();
    },
  };
}

/** One row of the test source. */
export interface SourceItem {
  readonly id: string;
  readonly title: string;
  readonly status?: string;
  readonly tags?: readonly string[];
  readonly parent?: string;
  readonly body?: string;
  readonly updatedAt?: string;
}

/** An upstream API for test workers: items, and a change feed of upserts and deletes. */
export class TestSource {
  readonly items = new Map<string, SourceItem>();
  readonly feed: { type: 'upsert' | 'delete'; id: string }[] = [];

  upsert(...items: SourceItem[]): void {
    for (const item of items) {
      this.items.set(item.id, item);
      this.feed.push({ type: 'upsert', id: item.id });
    }
  }

  remove(id: string): void {
    this.items.delete(id);
    this.feed.push({ type: 'delete', id });
  }
}

const statusGroups = [
  { name: 'To-do' as const, options: [{ name: 'Open', color: 'red' as const }] },
  { name: 'In progress' as const, options: [{ name: 'Doing', color: 'yellow' as const }] },
  { name: 'Complete' as const, options: [{ name: 'Done', color: 'green' as const }] },
];

export function upsertOf(item: SourceItem) {
  return {
    type: 'upsert' as const,
    key: item.id,
    properties: {
      Key: Builder.title(item.id),
      Name: Builder.richText(item.title),
      ...(item.status !== undefined ? { Status: Builder.status(item.status) } : {}),
      ...(item.tags !== undefined ? { Tags: Builder.multiSelect(...item.tags) } : {}),
      ...(item.parent !== undefined ? { Parent: [Builder.relation(item.parent)] } : {}),
    },
    ...(item.body !== undefined ? { pageContentMarkdown: item.body } : {}),
    ...(item.updatedAt !== undefined ? { upstreamUpdatedAt: item.updatedAt } : {}),
  };
}

/**
 * A worker over a {@link TestSource}: database `items` (primary key `Key`, a self-relation `Parent`), a
 * replace sync `itemsReplace` paging `pageSize` items per execute, and an incremental `itemsDelta` following
 * the change feed with delete markers.
 */
export function testWorker(source: TestSource, options: { pageSize?: number } = {}): Worker {
  const pageSize = options.pageSize ?? 3;
  const worker = new Worker();
  const items = worker.database('items', {
    type: 'managed',
    initialTitle: 'Items',
    primaryKeyProperty: 'Key',
    schema: {
      properties: {
        Key: Schema.title(),
        Name: Schema.richText(),
        Status: Schema.status({ groups: statusGroups }),
        Tags: Schema.multiSelect([{ name: 'a' }, { name: 'b' }]),
        Parent: Schema.relation('items'),
      },
    },
  });
  worker.sync('itemsReplace', {
    database: items,
    mode: 'replace',
    execute: async (state: { offset: number } | undefined) => {
      const all = [...source.items.values()].sort((a, b) => a.id.localeCompare(b.id));
      const offset = state?.offset ?? 0;
      const slice = all.slice(offset, offset + pageSize);
      const next = offset + slice.length;
      return {
        changes: slice.map(upsertOf),
        hasMore: next < all.length,
        ...(next < all.length ? { nextState: { offset: next } } : {}),
      };
    },
  });
  worker.sync('itemsDelta', {
    database: items,
    mode: 'incremental',
    execute: async (state: { since: number } | undefined) => {
      const since = state?.since ?? 0;
      const slice = source.feed.slice(since, since + pageSize);
      const nextSince = since + slice.length;
      console.log(`delta from ${since}: ${slice.length} changes`);
      return {
        changes: slice.map((c) => {
          const item = source.items.get(c.id);
          return c.type === 'delete' || item === undefined
            ? { type: 'delete' as const, key: c.id }
            : upsertOf(item);
        }),
        hasMore: nextSince < source.feed.length,
        nextState: { since: nextSince },
      };
    },
  });
  return worker;
}

/** The expected plain properties of a source item (relations as page ids via `pageOf`). */
export function expectedRow(
  item: SourceItem,
  pageOf: (key: string) => string | undefined,
): Record<string, unknown> {
  return {
    Key: item.id,
    Name: item.title,
    // Without a value Notion gives a new row the status property's default option.
    ...(item.status !== undefined ? { Status: item.status } : {}),
    Tags: item.tags ?? [],
    Parent: item.parent !== undefined ? [pageOf(item.parent)] : [],
  };
}
