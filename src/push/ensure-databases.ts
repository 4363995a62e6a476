import type { CreateDatabaseParameters, UpdateDataSourceParameters } from '@notionhq/client';
import type { Clock } from '../clock.js';
import { NotFoundError, WorkerError } from '../errors.js';
import type { Logger } from '../logger.js';
import { OutcomeUnknownError } from '../notion/gateway-errors.js';
import type { NotionGateway } from '../notion/gateway.js';
import type { Store } from '../store/index.js';
import { systemClock } from '../system-clock.js';
import {
  checkAttachedSchema,
  databaseCreationOf,
  planSchemaMigration,
  type NotionProperties,
  type NotionPropertyConfig,
} from '../workers/database-schema.js';
import {
  getWorkerDatabase,
  type WorkerDatabase,
  type WorkerDescription,
} from '../workers/worker-manifest.js';
import { getDatabaseBinding, saveDatabaseBinding, type DatabaseBinding } from './push-records.js';
import { isSchemaCheckFresh, schemaFingerprint } from './schema-check.js';

/** Options of {@link ensureDatabases}. */
export interface EnsureDatabasesOptions {
  readonly store: Store;
  readonly gateway: NotionGateway;
  readonly description: WorkerDescription;
  /** The databases to make ready; databases they relate to are made ready first. */
  readonly databaseKeys: readonly string[];
  /** Page under which `managed` databases are created. Required only when one must be created. */
  readonly parentPageId: string | undefined;
  /** Apply destructive schema changes (type changes, relation retargets, removed properties). @default false */
  readonly allowDestructive?: boolean;
  /** Plan only: create and migrate nothing (preview). Databases that do not exist yet are reported missing. */
  readonly dryRun?: boolean;
  /**
   * Skip reading the schema of a database whose unchanged declaration was found fitting less than this long ago
   * (schema-check.ts); 0 reads every schema. @default 0
   */
  readonly schemaRecheckMs?: number;
  /** Remember a check that found a schema fitting (a store write, no Notion write). @default !dryRun */
  readonly recordSchemaCheck?: boolean;
  /** @default systemClock */
  readonly clock?: Clock;
  readonly logger: Logger;
}

/** What {@link ensureDatabases} found and did. */
export interface EnsuredDatabases {
  /** Database key → binding, for every database made ready. A missing key (dry run) does not exist yet. */
  readonly bindings: ReadonlyMap<string, DatabaseBinding>;
  /** Databases created by this call (with `dryRun`: that it would create). */
  readonly created: readonly string[];
  /** Databases whose schema was migrated, with the properties patched (with `dryRun`: that it would migrate). */
  readonly migrated: readonly { readonly databaseKey: string; readonly properties: readonly string[] }[];
}

/** The databases a set of databases depends on through relations, targets first (each once). */
function dependencyOrder(description: WorkerDescription, keys: readonly string[]): WorkerDatabase[] {
  const ordered: WorkerDatabase[] = [];
  const visiting = new Set<string>();
  const visit = (key: string): void => {
    if (visiting.has(key)) return;
    visiting.add(key);
    const db = getWorkerDatabase(description, key);
    for (const schema of Object.values(db.properties)) {
      if (schema.type === 'relation') visit(schema.relatedDatabaseKey);
    }
    ordered.push(db);
  };
  for (const key of keys) visit(key);
  return ordered;
}

function plainTitle(text: string): NonNullable<CreateDatabaseParameters['title']> {
  return [{ type: 'text', text: { content: text } }];
}

/**
 * Makes the databases of a sync ready to be written: binds each to its Notion database, creating `managed`
 * ones under the parent page on first use (relation targets first; relations to databases created later,
 * including self-relations, are added right after), migrating their schema afterwards (new properties and
 * options; destructive changes refused unless allowed), and checking `attached` ones against the declaration.
 *
 * @throws NotFoundError when an `attached` database was never bound (`db attach`), or a managed one must be
 *   created without a parent page; WorkerError when an attached database does not fit the schema;
 *   DestructiveChangeError from the migration planner.
 */
export async function ensureDatabases(options: EnsureDatabasesOptions): Promise<EnsuredDatabases> {
  const { store, gateway, logger } = options;
  const bindings = new Map<string, DatabaseBinding>();
  const created: string[] = [];
  const migrated: { databaseKey: string; properties: string[] }[] = [];
  const resolveDataSourceId = (key: string): string | undefined => bindings.get(key)?.dataSourceId;
  const order = dependencyOrder(options.description, options.databaseKeys);

  const clock = options.clock ?? systemClock;
  const recordCheck = options.recordSchemaCheck ?? !options.dryRun;
  /** Saves the declaration as applied and the check that found Notion fitting it. */
  const fits = async (db: WorkerDatabase, binding: DatabaseBinding, fingerprint: string): Promise<void> => {
    if (!recordCheck) return;
    const updated: DatabaseBinding = {
      ...binding,
      appliedSchema: JSON.parse(JSON.stringify(db)) as unknown,
      schemaCheck: { fingerprint, checkedAt: new Date(clock.now()).toISOString() },
    };
    await saveDatabaseBinding(store, updated);
    bindings.set(db.key, updated);
  };

  for (const db of order) {
    const existing = await getDatabaseBinding(store, db.key);
    if (existing !== undefined) {
      bindings.set(db.key, existing);
      continue;
    }
    if (db.lifecycle === 'attached') {
      throw new NotFoundError(
        `Database "${db.key}" is declared "attached" but is not bound to a Notion database.`,
        {
          hint: `Run \`notion-sync db attach ${db.key} <database URL or id>\` first.`,
        },
      );
    }
    if (options.dryRun) {
      created.push(db.key);
      continue;
    }
    if (options.parentPageId === undefined) {
      throw new NotFoundError(`Database "${db.key}" must be created, but no parent page is configured.`, {
        hint: 'Set `parentPage` on the worker in the config file (or pass parentPageId), a page shared with the integration.',
      });
    }
    const made = await createManagedDatabase(gateway, db, options.parentPageId, resolveDataSourceId, logger);
    await saveDatabaseBinding(store, made.binding);
    bindings.set(db.key, made.binding);
    // Created whole from this declaration: its schema is known without reading it back.
    if (made.complete) await fits(db, made.binding, schemaFingerprint(db, resolveDataSourceId));
    created.push(db.key);
  }

  // Second pass: migrate (managed) or check (attached) every bound database; this also adds the relations that
  // were deferred at creation because their target did not exist yet.
  for (const db of order) {
    const binding = bindings.get(db.key);
    if (binding === undefined) continue;
    const fingerprint = schemaFingerprint(db, resolveDataSourceId);
    if (isSchemaCheckFresh(binding, fingerprint, clock.now(), options.schemaRecheckMs ?? 0)) continue;
    const dataSource = await gateway.client.dataSources.retrieve({ data_source_id: binding.dataSourceId });
    const current: Record<string, NotionPropertyConfig> = {
      ...((dataSource as { properties?: NotionProperties }).properties ?? {}),
    };
    if (binding.lifecycle === 'attached') {
      const mismatches = checkAttachedSchema(db, current, resolveDataSourceId);
      if (mismatches.length > 0) {
        throw new WorkerError(
          `Attached database "${db.key}" does not fit the worker's schema: ${mismatches.map((m) => m.message).join('; ')}`,
          { hint: 'Add the missing properties and options in Notion, or change the worker schema to match.' },
        );
      }
      await fits(db, binding, fingerprint);
      continue;
    }
    if (!options.dryRun) await renameSyncedProperties(gateway, db, current, resolveDataSourceId, logger);
    const plan = planSchemaMigration(db, current, {
      resolveDataSourceId,
      allowDestructive: options.allowDestructive ?? false,
      ...(binding.appliedSchema ? { previous: binding.appliedSchema as WorkerDatabase } : {}),
    });
    const patched = Object.keys(plan.patch);
    if (patched.length > 0 && options.dryRun) {
      migrated.push({ databaseKey: db.key, properties: patched });
    } else if (patched.length > 0) {
      await gateway.client.dataSources.update({
        data_source_id: binding.dataSourceId,
        properties: plan.patch as UpdateDataSourceParameters['properties'],
      });
      migrated.push({ databaseKey: db.key, properties: patched });
      logger('info', 'database migrated', { databaseKey: db.key, properties: patched });
    }
    // Migrated (or nothing to migrate) and every relation in place: Notion now fits the declaration.
    const migratedAll = !options.dryRun || patched.length === 0;
    if (migratedAll && plan.deferredRelations.length === 0) await fits(db, binding, fingerprint);
  }
  return { bindings, created, migrated };
}

/**
 * A two-way relation whose synced property (on the related data source) has another name than the declared one
 * (Notion may name it itself, "Related to <database> (<property>)"): the synced property is renamed there, which
 * loses nothing, instead of the relation being recreated. Updates `current` to match.
 */
async function renameSyncedProperties(
  gateway: NotionGateway,
  db: WorkerDatabase,
  current: Record<string, NotionPropertyConfig>,
  resolveDataSourceId: (key: string) => string | undefined,
  logger: Logger,
): Promise<void> {
  for (const [name, schema] of Object.entries(db.properties)) {
    if (schema.type !== 'relation' || !schema.twoWay) continue;
    const remote = current[name];
    const relation = remote?.relation as
      | { data_source_id?: string; type?: string; dual_property?: { synced_property_name?: string } }
      | undefined;
    const target = resolveDataSourceId(schema.relatedDatabaseKey);
    const actual = relation?.dual_property?.synced_property_name;
    if (
      remote === undefined ||
      relation?.type !== 'dual_property' ||
      target === undefined ||
      sameId(relation.data_source_id, target) === false ||
      actual === undefined ||
      actual === schema.relatedPropertyName
    )
      continue;
    await gateway.client.dataSources.update({
      data_source_id: target,
      properties: {
        [actual]: { name: schema.relatedPropertyName },
      } as UpdateDataSourceParameters['properties'],
    });
    logger('info', 'synced relation property renamed', { databaseKey: db.key, property: name, from: actual });
    current[name] = {
      ...remote,
      relation: {
        ...relation,
        dual_property: { ...relation.dual_property, synced_property_name: schema.relatedPropertyName },
      },
    };
  }
}

function sameId(a: string | undefined, b: string): boolean {
  return a?.replace(/-/g, '').toLowerCase() === b.replace(/-/g, '').toLowerCase();
}

async function createManagedDatabase(
  gateway: NotionGateway,
  db: WorkerDatabase,
  parentPageId: string,
  resolveDataSourceId: (key: string) => string | undefined,
  logger: Logger,
): Promise<{ binding: DatabaseBinding; complete: boolean }> {
  const creation = databaseCreationOf(db, resolveDataSourceId);
  // Every property went into the create, and no two-way relation lets Notion name a property on its own.
  const complete =
    creation.deferredRelations.length === 0 &&
    Object.values(db.properties).every((p) => p.type !== 'relation' || !p.twoWay);
  try {
    const response = await gateway.client.databases.create({
      parent: { type: 'page_id', page_id: parentPageId },
      title: plainTitle(db.initialTitle),
      ...(creation.icon ? { icon: creation.icon } : {}),
      initial_data_source: {
        properties: creation.properties as NonNullable<
          CreateDatabaseParameters['initial_data_source']
        >['properties'],
      },
    });
    logger('info', 'database created', { databaseKey: db.key, databaseId: response.id });
    const binding = bindingOf(
      db,
      response.id,
      (response as { data_sources?: { id: string }[] }).data_sources,
    );
    return { binding, complete };
  } catch (e) {
    if (!(e instanceof OutcomeUnknownError)) throw e;
    // The create may have landed: adopt the newest database of that title under the parent rather than
    // creating a second one (DESIGN invariant 3).
    const found = await findChildDatabase(gateway, parentPageId, db.initialTitle);
    if (found === undefined) throw e;
    logger('warn', 'database create outcome unknown, adopted', { databaseKey: db.key, databaseId: found });
    const database = await gateway.client.databases.retrieve({ database_id: found });
    // Adopted, not made by this call: its schema is read back like any other.
    return {
      binding: bindingOf(db, found, (database as { data_sources?: { id: string }[] }).data_sources),
      complete: false,
    };
  }
}

function bindingOf(
  db: WorkerDatabase,
  databaseId: string,
  sources: { id: string }[] | undefined,
): DatabaseBinding {
  const dataSourceId = sources?.[0]?.id;
  if (dataSourceId === undefined) {
    throw new WorkerError(`Notion returned database ${databaseId} for "${db.key}" without a data source.`, {
      hint: 'Use Notion-Version 2025-09-03 or later for syncs into Notion.',
    });
  }
  return { databaseKey: db.key, databaseId, dataSourceId, lifecycle: db.lifecycle };
}

async function findChildDatabase(
  gateway: NotionGateway,
  parentPageId: string,
  title: string,
): Promise<string | undefined> {
  let found: string | undefined;
  for await (const page of gateway.paginate(gateway.client.blocks.children.list, {
    block_id: parentPageId,
  })) {
    for (const block of page.results) {
      const b = block as { id: string; type?: string; child_database?: { title?: string } };
      if (b.type === 'child_database' && b.child_database?.title === title) found = b.id;
    }
  }
  return found;
}

/**
 * Binds a worker database to an existing Notion database (`db attach`): resolves its data source and stores the
 * binding. The schema is checked against the declaration on the next run.
 *
 * @param databaseIdOrDataSourceId A database id (its single data source is used) or a data source id.
 * @throws WorkerError when the database has no or several data sources.
 */
export async function attachDatabase(options: {
  readonly store: Store;
  readonly gateway: NotionGateway;
  readonly databaseKey: string;
  readonly databaseIdOrDataSourceId: string;
}): Promise<DatabaseBinding> {
  const { gateway } = options;
  const id = options.databaseIdOrDataSourceId;
  let databaseId = id;
  let sources: { id: string }[] | undefined;
  try {
    const database = await gateway.client.databases.retrieve({ database_id: id });
    sources = (database as { data_sources?: { id: string }[] }).data_sources;
  } catch {
    // Not a database id: try it as a data source id.
    const dataSource = await gateway.client.dataSources.retrieve({ data_source_id: id });
    const parent = (dataSource as { parent?: { database_id?: string } }).parent;
    databaseId = parent?.database_id ?? id;
    sources = [{ id: dataSource.id }];
  }
  if (sources === undefined || sources.length !== 1) {
    throw new WorkerError(
      `Database ${databaseId} has ${sources?.length ?? 0} data sources; a worker database binds to exactly one.`,
      { hint: 'Pass the id of the data source to write (from its URL or `dataSources.retrieve`).' },
    );
  }
  const binding: DatabaseBinding = {
    databaseKey: options.databaseKey,
    databaseId,
    dataSourceId: (sources[0] as { id: string }).id,
    lifecycle: 'attached',
  };
  await saveDatabaseBinding(options.store, binding);
  return binding;
}
