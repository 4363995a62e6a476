import type { CreateDatabaseParameters, UpdateDataSourceParameters } from '@notionhq/client';
import { DestructiveChangeError } from '../errors.js';
import { iconRequestOf, type NotionIconRequest } from './token-values.js';
import type { WorkerDatabase, WorkerPropertySchema, WorkerSelectOption } from './worker-manifest.js';

/** One property's schema as `databases.create` (`initial_data_source.properties`) accepts it. */
export type NotionPropertySchemaRequest = NonNullable<
  NonNullable<CreateDatabaseParameters['initial_data_source']>['properties']
>[string];

/** The `properties` body of `dataSources.update`. */
export type NotionSchemaPatch = NonNullable<UpdateDataSourceParameters['properties']>;

/**
 * One property of a data source as `dataSources.retrieve` returns it. Typed loosely on purpose: the SDK's
 * response union lacks some types Notion returns (`place`), and we read only what we compare.
 */
export interface NotionPropertyConfig {
  readonly id?: string;
  readonly name?: string;
  readonly type: string;
  readonly [config: string]: unknown;
}

/** A data source's `properties`, as retrieved. */
export type NotionProperties = Readonly<Record<string, NotionPropertyConfig>>;

/** Resolves a worker database key to the id of its Notion data source, `undefined` when it does not exist yet. */
export type DataSourceIdResolver = (databaseKey: string) => string | undefined;

/** The Notion property type a worker property type becomes. */
export function notionPropertyType(type: WorkerPropertySchema['type']): string {
  return type === 'text' ? 'rich_text' : type === 'file' ? 'files' : type;
}

function optionRequest(o: WorkerSelectOption): { name: string; color?: WorkerSelectOption['color'] } {
  return o.color === undefined ? { name: o.name } : { name: o.name, color: o.color };
}

/** Status options of a worker schema, in group order. Notion's API cannot place options in groups. */
function statusOptions(schema: Extract<WorkerPropertySchema, { type: 'status' }>): WorkerSelectOption[] {
  return schema.groups.flatMap((g) => g.options);
}

/**
 * One worker property → its Notion schema request; `undefined` for a relation whose target data source does
 * not exist yet (create it first, then add the relation with {@link planSchemaMigration}).
 */
export function notionPropertySchema(
  schema: WorkerPropertySchema,
  resolveDataSourceId: DataSourceIdResolver,
): NotionPropertySchemaRequest | undefined {
  switch (schema.type) {
    case 'title':
      return { title: {} };
    case 'text':
      return { rich_text: {} };
    case 'url':
      return { url: {} };
    case 'email':
      return { email: {} };
    case 'phone_number':
      return { phone_number: {} };
    case 'checkbox':
      return { checkbox: {} };
    case 'file':
      return { files: {} };
    case 'people':
      return { people: {} };
    case 'place':
      return { place: {} };
    case 'date':
      // Notion's API has no date format: the SDK's `date_format` is a display setting the API cannot set.
      return { date: {} };
    case 'number':
      return { number: schema.format === undefined ? {} : { format: schema.format } };
    case 'select':
      return { select: { options: schema.options.map(optionRequest) } };
    case 'multi_select':
      return { multi_select: { options: schema.options.map(optionRequest) } };
    case 'status':
      return { status: { options: statusOptions(schema).map(optionRequest) } };
    case 'relation': {
      const dataSourceId = resolveDataSourceId(schema.relatedDatabaseKey);
      if (dataSourceId === undefined) return undefined;
      return {
        relation: schema.twoWay
          ? {
              data_source_id: dataSourceId,
              type: 'dual_property',
              dual_property: { synced_property_name: schema.relatedPropertyName },
            }
          : { data_source_id: dataSourceId, type: 'single_property', single_property: {} },
      };
    }
  }
}

/** The body parts of `databases.create` for a managed worker database. */
export interface DatabaseCreation {
  /** `initial_data_source.properties`. */
  readonly properties: Record<string, NotionPropertySchemaRequest>;
  /** The database icon (`schema.databaseIcon`), when declared. */
  readonly icon?: NotionIconRequest;
  /** Relation properties left out because their target does not exist yet: add them once it does. */
  readonly deferredRelations: readonly string[];
}

/**
 * The schema of a managed worker database as `databases.create` takes it (`initial_data_source.properties`).
 * Relations to databases not created yet (including self-relations) are deferred.
 */
export function databaseCreationOf(
  database: WorkerDatabase,
  resolveDataSourceId: DataSourceIdResolver,
): DatabaseCreation {
  const properties: Record<string, NotionPropertySchemaRequest> = {};
  const deferredRelations: string[] = [];
  for (const [name, schema] of Object.entries(database.properties)) {
    const request = notionPropertySchema(schema, resolveDataSourceId);
    if (request === undefined) deferredRelations.push(name);
    else properties[name] = request;
  }
  return {
    properties,
    ...(database.databaseIcon ? { icon: iconRequestOf(database.databaseIcon) } : {}),
    deferredRelations,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Differences between a declared schema and a data source

/** One difference between the declared schema and the data source. */
export type SchemaDifference =
  | { readonly kind: 'missing_property'; readonly property: string; readonly expectedType: string }
  | {
      readonly kind: 'type_mismatch';
      readonly property: string;
      readonly expectedType: string;
      readonly actualType: string;
    }
  | {
      readonly kind: 'missing_options';
      readonly property: string;
      readonly options: readonly WorkerSelectOption[];
    }
  | {
      readonly kind: 'number_format';
      readonly property: string;
      readonly expected: string;
      readonly actual: string | undefined;
    }
  | {
      readonly kind: 'relation_target';
      readonly property: string;
      readonly expectedDataSourceId: string;
      readonly actualDataSourceId: string | undefined;
    }
  | {
      readonly kind: 'relation_kind';
      readonly property: string;
      /** `dual_property:<synced name>` or `single_property`. */
      readonly expected: string;
      readonly actual: string;
    }
  | { readonly kind: 'title_name'; readonly property: string; readonly actualName: string }
  | { readonly kind: 'removed_property'; readonly property: string; readonly actualType: string };

/** The kinds of difference that would destroy data if applied. */
const DESTRUCTIVE_KINDS: ReadonlySet<SchemaDifference['kind']> = new Set([
  'type_mismatch',
  'relation_target',
  'removed_property',
]);

/** A sentence describing a difference, naming the property. */
export function describeSchemaDifference(d: SchemaDifference): string {
  switch (d.kind) {
    case 'missing_property':
      return `property "${d.property}" (${d.expectedType}) is missing`;
    case 'type_mismatch':
      return `property "${d.property}" is ${d.actualType}, declared as ${d.expectedType}`;
    case 'missing_options':
      return `property "${d.property}" lacks option(s) ${d.options.map((o) => `"${o.name}"`).join(', ')}`;
    case 'number_format':
      return `property "${d.property}" has number format ${d.actual ?? 'none'}, declared ${d.expected}`;
    case 'relation_target':
      return `relation "${d.property}" points to data source ${d.actualDataSourceId ?? 'none'}, declared ${d.expectedDataSourceId}`;
    case 'relation_kind':
      return `relation "${d.property}" is ${d.actual}, declared ${d.expected}`;
    case 'title_name':
      return `the title property is "${d.actualName}", declared as "${d.property}"`;
    case 'removed_property':
      return `property "${d.property}" (${d.actualType}) is no longer declared`;
  }
}

function optionsOf(config: NotionPropertyConfig): { id?: string; name: string; color?: string }[] {
  const inner = config[config.type] as { options?: unknown } | undefined;
  return Array.isArray(inner?.options)
    ? (inner.options as { id?: string; name: string; color?: string }[])
    : [];
}

function declaredOptions(schema: WorkerPropertySchema): readonly WorkerSelectOption[] {
  if (schema.type === 'select' || schema.type === 'multi_select') return schema.options;
  if (schema.type === 'status') return statusOptions(schema);
  return [];
}

/**
 * Every difference between a declared worker database and its data source's current `properties`.
 *
 * @param previous The schema last applied to this data source, if known: properties it declared that are no
 *   longer declared but still exist are reported as `removed_property`. Properties never declared (added by
 *   users) are not differences.
 */
export function diffSchema(
  declared: WorkerDatabase,
  current: NotionProperties,
  resolveDataSourceId: DataSourceIdResolver,
  previous?: WorkerDatabase,
): SchemaDifference[] {
  const diffs: SchemaDifference[] = [];
  const remoteTitle = Object.entries(current).find(([, c]) => c.type === 'title');
  for (const [name, schema] of Object.entries(declared.properties)) {
    const expectedType = notionPropertyType(schema.type);
    const remote = current[name];
    if (remote === undefined) {
      if (schema.type === 'title' && remoteTitle)
        diffs.push({ kind: 'title_name', property: name, actualName: remoteTitle[0] });
      else diffs.push({ kind: 'missing_property', property: name, expectedType });
      continue;
    }
    if (remote.type !== expectedType) {
      diffs.push({ kind: 'type_mismatch', property: name, expectedType, actualType: remote.type });
      continue;
    }
    const remoteNames = new Set(optionsOf(remote).map((o) => o.name));
    const missing = declaredOptions(schema).filter((o) => !remoteNames.has(o.name));
    if (missing.length) diffs.push({ kind: 'missing_options', property: name, options: missing });
    if (schema.type === 'number' && schema.format !== undefined) {
      const actual = (remote.number as { format?: string } | undefined)?.format;
      if (actual !== schema.format)
        diffs.push({ kind: 'number_format', property: name, expected: schema.format, actual });
    }
    if (schema.type === 'relation') {
      const expected = resolveDataSourceId(schema.relatedDatabaseKey);
      const actual = (remote.relation as { data_source_id?: string } | undefined)?.data_source_id;
      if (expected !== undefined && normaliseId(expected) !== normaliseId(actual)) {
        diffs.push({
          kind: 'relation_target',
          property: name,
          expectedDataSourceId: expected,
          actualDataSourceId: actual,
        });
      } else {
        const kind = relationKindOf(remote);
        const declaredKind = schema.twoWay
          ? `dual_property:${schema.relatedPropertyName}`
          : 'single_property';
        if (kind !== declaredKind) {
          diffs.push({ kind: 'relation_kind', property: name, expected: declaredKind, actual: kind });
        }
      }
    }
  }
  if (previous) {
    for (const name of Object.keys(previous.properties)) {
      const remote = current[name];
      if (!(name in declared.properties) && remote !== undefined) {
        diffs.push({ kind: 'removed_property', property: name, actualType: remote.type });
      }
    }
  }
  return diffs;
}

/** `single_property`, or `dual_property:<synced property name>` of a retrieved relation. */
function relationKindOf(remote: NotionPropertyConfig): string {
  const relation = remote.relation as
    { type?: string; dual_property?: { synced_property_name?: string } } | undefined;
  return relation?.type === 'dual_property'
    ? `dual_property:${relation.dual_property?.synced_property_name ?? ''}`
    : 'single_property';
}

function normaliseId(id: string | undefined): string | undefined {
  return id?.replace(/-/g, '').toLowerCase();
}

/** What {@link planSchemaMigration} decided. */
export interface SchemaMigrationPlan {
  /** The `properties` body of `dataSources.update`; empty when nothing is to change (skip the call). */
  readonly patch: NotionSchemaPatch;
  /** Every difference found, applied or not. */
  readonly differences: readonly SchemaDifference[];
  /** Relations not added because their target data source does not exist yet. */
  readonly deferredRelations: readonly string[];
}

export interface SchemaMigrationOptions {
  /** Resolves a related database key to its data source id. */
  readonly resolveDataSourceId: DataSourceIdResolver;
  /** Apply type changes, relation retargets and removals (which lose data). @default false */
  readonly allowDestructive?: boolean;
  /** The schema last applied, to detect removed properties. */
  readonly previous?: WorkerDatabase;
}

/**
 * Plans the `dataSources.update` that brings a data source to the declared schema: adds missing properties,
 * adds missing select/multi-select/status options (sending every existing option back, since an option left out
 * of a PATCH is deleted), sets a declared number format, renames the title property to the declared name.
 *
 * @throws DestructiveChangeError naming the property when a difference would destroy data (another type under the
 *   same name, a relation to another data source, a removed property) and `allowDestructive` is not set.
 */
export function planSchemaMigration(
  declared: WorkerDatabase,
  current: NotionProperties,
  options: SchemaMigrationOptions,
): SchemaMigrationPlan {
  const differences = diffSchema(declared, current, options.resolveDataSourceId, options.previous);
  // A two-way relation made one-way deletes the synced property of the other database.
  const destructive = differences.filter(
    (d) => DESTRUCTIVE_KINDS.has(d.kind) || (d.kind === 'relation_kind' && d.actual !== 'single_property'),
  );
  if (destructive.length > 0 && !options.allowDestructive) {
    throw new DestructiveChangeError(
      `Migrating database "${declared.key}" would destroy data: ${destructive.map(describeSchemaDifference).join('; ')}`,
      {
        hint: 'Rename the property in the worker schema, fix the database in Notion, or allow destructive migrations.',
      },
    );
  }
  const patch: Record<string, NotionSchemaPatch[string]> = {};
  const deferredRelations: string[] = [];
  for (const d of differences) {
    const schema = declared.properties[d.property];
    switch (d.kind) {
      case 'missing_property':
      case 'type_mismatch':
      case 'relation_target':
      case 'relation_kind': {
        const request = schema && notionPropertySchema(schema, options.resolveDataSourceId);
        if (request === undefined) deferredRelations.push(d.property);
        else patch[d.property] = request as NotionSchemaPatch[string];
        break;
      }
      case 'missing_options': {
        const remote = current[d.property] as NotionPropertyConfig;
        const existing = optionsOf(remote).map((o) => ({
          ...(o.id !== undefined ? { id: o.id } : {}),
          name: o.name,
          ...(o.color !== undefined ? { color: o.color } : {}),
        }));
        const type = remote.type as 'select' | 'multi_select' | 'status';
        patch[d.property] = {
          [type]: { options: [...existing, ...d.options.map(optionRequest)] },
        } as unknown as NotionSchemaPatch[string];
        break;
      }
      case 'number_format':
        patch[d.property] = { number: { format: d.expected } } as NotionSchemaPatch[string];
        break;
      case 'title_name':
        patch[d.actualName] = { name: d.property } as NotionSchemaPatch[string];
        break;
      case 'removed_property':
        patch[d.property] = null;
        break;
    }
  }
  return { patch, differences, deferredRelations };
}

/** One way an attached database does not fit the worker's schema. */
export interface SchemaMismatch {
  readonly property: string;
  readonly difference: SchemaDifference;
  /** A sentence naming the property and what differs. */
  readonly message: string;
}

/**
 * Checks an `attached` database (bound by the user, never created by us) against the declared schema. Returns
 * every mismatch (empty: it fits); the caller decides whether to migrate or refuse.
 */
export function checkAttachedSchema(
  declared: WorkerDatabase,
  current: NotionProperties,
  resolveDataSourceId: DataSourceIdResolver = () => undefined,
): SchemaMismatch[] {
  return diffSchema(declared, current, resolveDataSourceId).map((difference) => ({
    property: difference.property,
    difference,
    message: describeSchemaDifference(difference),
  }));
}
