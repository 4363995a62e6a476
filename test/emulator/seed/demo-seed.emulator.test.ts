/**
 * The demo seed against the real emulator, through the official SDK. The emulator server is built on
 * another branch; this suite runs once `src/emulator/index.ts` (exporting `startEmulator`) is present.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Client,
  collectPaginatedAPI,
  isFullBlock,
  isFullPage,
  type BlockObjectResponse,
  type PageObjectResponse,
} from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoWorkspace, type DemoWorkspaceInfo } from '../../../src/emulator/seed/demo-seed.js';
import { PAGE_OBJECT_REFERENCE_LIMIT } from '../../../src/notion/limits.js';

const EMULATOR_MODULE = '../../../src/emulator/index.js';
const emulatorPresent = existsSync(
  fileURLToPath(new URL(EMULATOR_MODULE.replace(/\.js$/, '.ts'), import.meta.url)),
);

/** The part of the emulator's API this suite uses. */
interface EmulatorModule {
  startEmulator(options: {
    port: number;
  }): Promise<{ url: string; rootPageId: string | undefined; stop(): Promise<void> }>;
}

describe.runIf(emulatorPresent)('seedDemoWorkspace against the emulator', () => {
  let stop: () => Promise<void> = async () => undefined;
  let client: Client;
  let info: DemoWorkspaceInfo;

  beforeAll(async () => {
    const { startEmulator } = (await import(EMULATOR_MODULE)) as EmulatorModule;
    const emulator = await startEmulator({ port: 0 });
    stop = () => emulator.stop();
    client = new Client({ auth: 'secret_seed_test', baseUrl: emulator.url, retry: false });
    info = await seedDemoWorkspace(client, { parentPageId: emulator.rootPageId });
  });
  afterAll(() => stop());

  async function rows(
    dataSourceId: string,
    filter?: Parameters<Client['dataSources']['query']>[0]['filter'],
  ): Promise<PageObjectResponse[]> {
    const results = await collectPaginatedAPI(client.dataSources.query, {
      data_source_id: dataSourceId,
      filter,
    });
    return results.filter(isFullPage);
  }

  it('creates every row', async () => {
    expect((await rows(info.databases.contacts.dataSourceId)).length).toBe(30);
    expect((await rows(info.databases.projects.dataSourceId)).length).toBe(8);
    expect((await rows(info.databases.tasks.dataSourceId)).length).toBe(40);
  });

  it('has every property type across the data sources', async () => {
    const types = new Set<string>();
    for (const { dataSourceId } of Object.values(info.databases)) {
      const dataSource = await client.dataSources.retrieve({ data_source_id: dataSourceId });
      if ('properties' in dataSource)
        for (const property of Object.values(dataSource.properties)) types.add(property.type);
    }
    for (const type of [
      'title',
      'rich_text',
      'number',
      'select',
      'multi_select',
      'status',
      'date',
      'people',
      'files',
      'checkbox',
      'url',
      'email',
      'phone_number',
      'formula',
      'relation',
      'rollup',
      'created_time',
      'created_by',
      'last_edited_time',
      'last_edited_by',
      'unique_id',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('truncates the first project’s 30 tasks to 25 in the page object', async () => {
    const [firstProject] = info.databases.projects.rowIds;
    const page = await client.pages.retrieve({ page_id: firstProject as string });
    const relations = isFullPage(page)
      ? Object.values(page.properties).filter((p) => p.type === 'relation')
      : [];
    const longest = Math.max(...relations.map((p) => (p.type === 'relation' ? p.relation.length : 0)));
    expect(longest).toBe(PAGE_OBJECT_REFERENCE_LIMIT);
  });

  it('answers filtered queries over the seeded rows', async () => {
    const tasks = info.databases.tasks.dataSourceId;
    const high = await rows(tasks, { property: 'Priority', select: { equals: 'High' } });
    expect(high.length).toBeGreaterThan(0);
    expect(
      high.every(
        (p) =>
          p.properties['Priority']?.type === 'select' && p.properties['Priority'].select?.name === 'High',
      ),
    ).toBe(true);
    const onFirst = await rows(tasks, {
      property: 'Project',
      relation: { contains: info.databases.projects.rowIds[0] as string },
    });
    expect(onFirst.length).toBe(30);
  });

  it('writes the four-deep list through follow-up appends', async () => {
    const children = async (id: string): Promise<BlockObjectResponse[]> =>
      (await collectPaginatedAPI(client.blocks.children.list, { block_id: id })).filter(isFullBlock);
    let level: BlockObjectResponse[] = (await children(info.rootPageId)).filter(
      (b) => b.type === 'bulleted_list_item',
    );
    let levels = 0;
    while (level.length > 0) {
      levels += 1;
      const parent = level.find((b) => b.has_children);
      level = parent === undefined ? [] : await children(parent.id);
    }
    expect(levels).toBe(4);
  });
});
