/**
 * What the mirror tests share: an in-process emulator on a virtual clock, a gateway to it, stores on
 * every dialect, and helpers that build data sources.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@notionhq/client';
import type { CreateDatabaseParameters, PageObjectResponse } from '@notionhq/client';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import type { NotionGateway } from '../../src/notion/gateway.js';
import type { Clock } from '../../src/clock.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../store/postgres-test-url.js';

/** 2026-03-01T10:00:30Z: half a minute into a minute, so same-minute edits are easy to make. */
export const START_MS = Date.parse('2026-03-01T10:00:30.000Z');

/** One database the mirror contract runs on. */
export interface MirrorStoreTarget {
  readonly name: string;
  open(clock: Clock): Promise<Store>;
  teardown(): Promise<void>;
}

export function sqliteTarget(): MirrorStoreTarget {
  return { name: 'sqlite', open: (clock) => openStore(':memory:', { clock }), teardown: async () => {} };
}

export function postgresTarget(): MirrorStoreTarget {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    open: (clock) => {
      const schema = freshSchemaName('mirror_test');
      schemas.push(schema);
      return openStore(POSTGRES_TEST_URL, { clock, schema });
    },
    teardown: async () => {
      for (const schema of schemas) await dropSchema(schema);
    },
  };
}

/** An emulator, a gateway and an SDK client (for test edits) on one virtual clock. */
export interface MirrorWorld {
  readonly clock: ManualClock;
  readonly emulator: EmulatorHandle;
  readonly gateway: NotionGateway;
  /** A plain SDK client for making edits (not counted in the gateway's metrics). */
  readonly notion: Client;
  readonly store: Store;
  close(): Promise<void>;
}

export async function openWorld(
  target: MirrorStoreTarget,
  options: Omit<EmulatorOptions, 'clock'> = {},
): Promise<MirrorWorld> {
  const clock = new ManualClock(START_MS);
  const emulator = await startEmulator({ ...options, clock });
  // A unique token per world: the pacer is shared per token. The gateway paces on real time.
  const token = `secret_${randomUUID().replace(/-/g, '')}`;
  const gateway = createGateway({ token, baseUrl: emulator.url, requestsPerSecond: 10_000, burst: 10_000 });
  const notion = new Client({ auth: token, baseUrl: emulator.url, notionVersion: '2025-09-03' });
  const store = await target.open(clock);
  return {
    clock,
    emulator,
    gateway,
    notion,
    store,
    close: async () => {
      await store.close();
      await emulator.stop();
    },
  };
}

type PropertyConfigs = NonNullable<CreateDatabaseParameters['initial_data_source']>['properties'];

/** Creates a database under the root page; returns its id and its (only) data source id. */
export async function createDatabase(
  world: MirrorWorld,
  title: string,
  properties: PropertyConfigs,
): Promise<{ databaseId: string; dataSourceId: string }> {
  const database = await world.notion.databases.create({
    parent: { type: 'page_id', page_id: world.emulator.rootPageId as string },
    title: [{ type: 'text', text: { content: title } }],
    initial_data_source: { properties },
  });
  const dataSourceId = 'data_sources' in database ? database.data_sources[0]?.id : undefined;
  if (dataSourceId === undefined) throw new Error('databases.create returned no data source');
  return { databaseId: database.id, dataSourceId };
}

/** The schema most tests use: Name (title), Status (select), Points (number). */
export const TASK_PROPERTIES: PropertyConfigs = {
  Name: { title: {} },
  Status: { select: { options: [{ name: 'Todo' }, { name: 'Done' }] } },
  Points: { number: {} },
};

/** Adds a row through the API, with optional body paragraphs. */
export async function addTask(
  world: MirrorWorld,
  dataSourceId: string,
  name: string,
  extra: { status?: string; points?: number; paragraphs?: string[] } = {},
): Promise<PageObjectResponse> {
  const page = await world.notion.pages.create({
    parent: { type: 'data_source_id', data_source_id: dataSourceId },
    properties: {
      Name: { title: [{ type: 'text', text: { content: name } }] },
      ...(extra.status === undefined ? {} : { Status: { select: { name: extra.status } } }),
      ...(extra.points === undefined ? {} : { Points: { number: extra.points } }),
    },
    ...(extra.paragraphs === undefined
      ? {}
      : {
          children: extra.paragraphs.map((text) => ({
            type: 'paragraph' as const,
            paragraph: { rich_text: [{ type: 'text' as const, text: { content: text } }] },
          })),
        }),
  });
  return page as PageObjectResponse;
}

/** Creates rows directly in the emulator's workspace (no HTTP): fast bulk data. */
export function addRowsDirectly(
  world: MirrorWorld,
  dataSourceId: string,
  names: readonly string[],
): string[] {
  return names.map(
    (name) =>
      world.emulator.workspace.createPage(
        {
          parent: { type: 'data_source_id', data_source_id: dataSourceId },
          properties: { Name: { title: [{ type: 'text', text: { content: name } }] } },
        },
        [],
      ).page.id as string,
  );
}

/** Ids of the live (not trashed, shared) rows of a data source in the emulator. */
export function emulatorRowIds(world: MirrorWorld, dataSourceId: string): string[] {
  const ws = world.emulator.workspace;
  return ws
    .getDataSource(dataSourceId)
    .rows.filter((id) => {
      const rec = ws.pages.get(id);
      return rec !== undefined && !rec.unshared && rec.page.in_trash !== true;
    })
    .sort();
}

/** All page ids of a data source in the replica. */
export async function replicaIds(store: Store, dataSourceId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const ids of store.replica.iteratePageIds(dataSourceId, { pageSize: 5_000 })) out.push(...ids);
  return out.sort();
}

/** Calls per endpoint the emulator answered since `before`. */
export function callsSince(
  world: MirrorWorld,
  before: Readonly<Record<string, number>>,
): Record<string, number> {
  const now = world.emulator.stats().calls;
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(now)) {
    const d = n - (before[name] ?? 0);
    if (d > 0) out[name] = d;
  }
  return out;
}
