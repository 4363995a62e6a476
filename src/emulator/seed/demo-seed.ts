import {
  APIErrorCode,
  APIResponseError,
  type Client,
  type CreateDatabaseParameters,
  type CreatePageParameters,
  type UpdateDataSourceParameters,
} from '@notionhq/client';
import { appendBlockTree, type BlockNode } from './append-block-tree.js';
import { projectBody, showcaseBody, taskBody } from './demo-content.js';
import { plain } from './demo-rich-text.js';
import {
  CONTACT_COUNT,
  contactPlace,
  contactProperties,
  PROJECT_NAMES,
  projectProperties,
  TASK_COUNT,
  taskName,
  taskProperties,
} from './demo-rows.js';
import {
  contactsPlaceSchema,
  contactsSchema,
  projectsRollupSchema,
  projectsSchema,
  tasksRollupSchema,
  tasksSchema,
} from './demo-schemas.js';

/** Ids of one demo database, its (single) data source and its rows in creation order. */
export interface DemoDatabaseInfo {
  readonly databaseId: string;
  readonly dataSourceId: string;
  readonly rowIds: readonly string[];
}

/** What `seedDemoWorkspace` built. */
export interface DemoWorkspaceInfo {
  /** The "notion-sync demo" page everything sits under. */
  readonly rootPageId: string;
  readonly databases: {
    readonly contacts: DemoDatabaseInfo;
    readonly projects: DemoDatabaseInfo;
    readonly tasks: DemoDatabaseInfo;
  };
  /** Pages created: the root page plus every row. */
  readonly pageCount: number;
  /** API requests made, reads included. */
  readonly requestCount: number;
  /** Whether the server accepted the `place` property (Contacts' `Location`). */
  readonly placeSupported: boolean;
}

/** Options of `seedDemoWorkspace`. */
export interface SeedDemoWorkspaceOptions {
  /** Create the root page under this page. Default: at the workspace top level (`parent: {workspace: true}`). */
  parentPageId?: string;
}

/** Thrown when the server answers the seed with something it cannot build on. */
export class DemoSeedError extends Error {
  override readonly name = 'DemoSeedError' as const;
}

type Properties = Record<string, unknown>;

/**
 * Builds the demo workspace through the public API, with any `Client` (a running emulator or a real
 * workspace): a root page "notion-sync demo" whose body shows every creatable block type, and under it
 * three databases whose schemas together use every property type:
 *
 * - **Contacts** (30 rows): title, email, phone_number, url, rich_text, files, people, select, and
 *   `place` when the server accepts it.
 * - **Projects** (8 rows, each with a body): number formats, select, multi_select, status, date ranges,
 *   people, files, checkbox, url, email, phone_number, formula, unique_id `PRJ-`, the four
 *   created/edited properties, the `Tasks` side of a two-way relation (30 tasks on the first project,
 *   past the 25-reference truncation) and count/sum rollups over it.
 * - **Tasks** (40 rows, the first three with bodies): datetimes with offsets, datetime ranges, the
 *   two-way `Project` relation, a one-way `Contacts` relation (task 1 relates to all 30 contacts),
 *   number/string formulas, number and array rollups, unique_id `TASK-`.
 *
 * People values use the person users of `client.users.list()` (left empty when there are none). Every
 * value is derived from row indexes, so two runs write the same content. Requests respect Notion's
 * write limits (block appends of ≤ 100 blocks and ≤ 2 nesting levels; deeper trees follow up).
 *
 * @example
 * ```ts
 * import { Client } from '@notionhq/client';
 * import { seedDemoWorkspace } from './emulator/seed/demo-seed.js';
 *
 * const client = new Client({ auth: 'secret_emulator', baseUrl: emulator.url });
 * const demo = await seedDemoWorkspace(client);
 * console.log(demo.databases.tasks.dataSourceId, demo.pageCount); // …, 79
 * ```
 */
export async function seedDemoWorkspace(
  client: Client,
  options: SeedDemoWorkspaceOptions = {},
): Promise<DemoWorkspaceInfo> {
  const seed = new Seeder(client);
  return seed.run(options);
}

class Seeder {
  readonly #client: Client;
  #requests = 0;
  #pages = 0;

  constructor(client: Client) {
    this.#client = client;
  }

  async run(options: SeedDemoWorkspaceOptions): Promise<DemoWorkspaceInfo> {
    const userIds = await this.#personUserIds();
    const rootPageId = await this.#createPage({
      parent: options.parentPageId === undefined ? { workspace: true } : { page_id: options.parentPageId },
      icon: { type: 'emoji', emoji: '🔄' },
      properties: { title: { title: plain('notion-sync demo') } },
    });

    const contacts = await this.#createDatabase(rootPageId, 'Contacts', '📇', contactsSchema());
    const projects = await this.#createDatabase(rootPageId, 'Projects', '📁', projectsSchema());
    const tasks = await this.#createDatabase(
      rootPageId,
      'Tasks',
      '✅',
      tasksSchema(projects.dataSourceId, contacts.dataSourceId),
    );
    const tasksRelationName = await this.#syncedRelationName(tasks.dataSourceId, 'Project');
    await this.#updateSchema(projects.dataSourceId, projectsRollupSchema(tasksRelationName));
    await this.#updateSchema(tasks.dataSourceId, tasksRollupSchema());
    const placeSupported = await this.#tryAddPlace(contacts.dataSourceId);

    const contactIds: string[] = [];
    for (let i = 0; i < CONTACT_COUNT; i++) {
      const place = placeSupported ? contactPlace(i) : undefined;
      contactIds.push(
        await this.#createRow(contacts.dataSourceId, { ...contactProperties(i, userIds), ...place }),
      );
    }
    const projectIds: string[] = [];
    for (const [i, name] of PROJECT_NAMES.entries()) {
      projectIds.push(
        await this.#createRow(projects.dataSourceId, projectProperties(i, userIds), projectBody(name, i)),
      );
    }
    const taskIds: string[] = [];
    for (let i = 0; i < TASK_COUNT; i++) {
      const body = i < 3 ? taskBody(taskName(i)) : [];
      taskIds.push(
        await this.#createRow(tasks.dataSourceId, taskProperties(i, userIds, projectIds, contactIds), body),
      );
    }

    await this.#append(
      rootPageId,
      showcaseBody({ userId: userIds[0], projectPageId: projectIds[0], tasksDatabaseId: tasks.databaseId }),
    );
    return {
      rootPageId,
      databases: {
        contacts: { ...contacts, rowIds: contactIds },
        projects: { ...projects, rowIds: projectIds },
        tasks: { ...tasks, rowIds: taskIds },
      },
      pageCount: this.#pages,
      requestCount: this.#requests,
      placeSupported,
    };
  }

  async #personUserIds(): Promise<string[]> {
    this.#requests += 1;
    const users = await this.#client.users.list({ page_size: 100 });
    return users.results.flatMap((user) => ('type' in user && user.type === 'person' ? [user.id] : []));
  }

  async #createPage(request: Properties): Promise<string> {
    this.#requests += 1;
    this.#pages += 1;
    const page = await this.#client.pages.create(request as unknown as CreatePageParameters);
    return page.id;
  }

  async #createRow(dataSourceId: string, properties: Properties, body: BlockNode[] = []): Promise<string> {
    const id = await this.#createPage({
      parent: { type: 'data_source_id', data_source_id: dataSourceId },
      properties,
    });
    if (body.length > 0) await this.#append(id, body);
    return id;
  }

  async #append(parentId: string, body: BlockNode[]): Promise<void> {
    this.#requests += await appendBlockTree(this.#client, parentId, body);
  }

  async #createDatabase(
    parentPageId: string,
    title: string,
    emoji: string,
    properties: Properties,
  ): Promise<{ databaseId: string; dataSourceId: string }> {
    this.#requests += 1;
    const database = await this.#client.databases.create({
      parent: { type: 'page_id', page_id: parentPageId },
      title: plain(title),
      icon: { type: 'emoji', emoji },
      initial_data_source: { properties },
    } as unknown as CreateDatabaseParameters);
    const dataSourceId = 'data_sources' in database ? database.data_sources[0]?.id : undefined;
    if (dataSourceId === undefined) {
      throw new DemoSeedError(
        `databases.create for "${title}" returned no data source: use Notion-Version 2025-09-03 or later`,
      );
    }
    return { databaseId: database.id, dataSourceId };
  }

  async #updateSchema(dataSourceId: string, properties: Properties): Promise<void> {
    this.#requests += 1;
    await this.#client.dataSources.update({
      data_source_id: dataSourceId,
      properties,
    } as unknown as UpdateDataSourceParameters);
  }

  /** The name the server gave the other side of a two-way relation (we ask for `Tasks`). */
  async #syncedRelationName(dataSourceId: string, relationName: string): Promise<string> {
    this.#requests += 1;
    const dataSource = await this.#client.dataSources.retrieve({ data_source_id: dataSourceId });
    const relation = 'properties' in dataSource ? dataSource.properties[relationName] : undefined;
    if (relation?.type === 'relation' && relation.relation.type === 'dual_property') {
      return relation.relation.dual_property.synced_property_name;
    }
    throw new DemoSeedError(`the "${relationName}" relation was not created as a two-way relation`);
  }

  async #tryAddPlace(dataSourceId: string): Promise<boolean> {
    try {
      await this.#updateSchema(dataSourceId, contactsPlaceSchema());
      return true;
    } catch (error) {
      // `place` is new (SDK 5.x); a server that does not know it answers validation_error: seed without it.
      if (APIResponseError.isAPIResponseError(error) && error.code === APIErrorCode.ValidationError)
        return false;
      throw error;
    }
  }
}
