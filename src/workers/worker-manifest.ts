import { SELECT_COLORS } from '../notion/colors.js';
import type { DateFormat, Icon, NumberFormat, SelectColor, StatusGroupType } from '@notionhq/workers/types';
import { z } from 'zod';
import { WorkerError } from '../errors.js';
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS, type Schedule } from '../schedule/parse-schedule.js';

/** The schedule of a sync that declares none (workers-runtime.md): every 30 minutes. */
export const DEFAULT_SYNC_SCHEDULE: Schedule = Object.freeze({ type: 'interval', intervalMs: 30 * 60_000 });

/** The mode of a sync that declares none (workers-runtime.md). */
export const DEFAULT_SYNC_MODE: WorkerSyncMode = 'replace';

/** `replace`: each cycle returns the full dataset and unseen rows are swept; `incremental`: deltas with deletes. */
export type WorkerSyncMode = 'replace' | 'incremental';

/** A select, multi-select or status option as declared by the worker. */
export interface WorkerSelectOption {
  readonly name: string;
  /** Absent when the worker declared none (Notion then picks `default`). */
  readonly color?: SelectColor;
}

/** One status group (`To-do`, `In progress`, `Complete`) and the options the worker puts in it. */
export interface WorkerStatusGroup {
  readonly name: StatusGroupType;
  readonly options: readonly WorkerSelectOption[];
}

/** Property types whose schema has no configuration. */
export type WorkerPlainPropertyType =
  'title' | 'text' | 'url' | 'email' | 'phone_number' | 'checkbox' | 'file' | 'people' | 'place';

/**
 * One property of a worker database schema, validated. Property types keep the SDK's names (`text`, `file`),
 * which `database-schema.ts` maps to Notion's (`rich_text`, `files`).
 */
export type WorkerPropertySchema =
  | { readonly type: WorkerPlainPropertyType }
  | { readonly type: 'number'; readonly format?: NumberFormat }
  | { readonly type: 'date'; readonly dateFormat?: DateFormat }
  | { readonly type: 'select' | 'multi_select'; readonly options: readonly WorkerSelectOption[] }
  | { readonly type: 'status'; readonly groups: readonly WorkerStatusGroup[] }
  | WorkerRelationSchema;

/** A relation property. `relatedDatabaseKey` is always a database key (a sync key in the module is resolved). */
export type WorkerRelationSchema = {
  readonly type: 'relation';
  /** The related database's key, resolved. */
  readonly relatedDatabaseKey: string;
  /** The key as the worker wrote it (a database key, or a sync key in older worker code). */
  readonly declaredRelatedKey: string;
} & ({ readonly twoWay: false } | { readonly twoWay: true; readonly relatedPropertyName: string });

/** Every property type a worker schema can declare. */
export type WorkerPropertyType = WorkerPropertySchema['type'];

/** Property types allowed as a primary key: those Notion can filter with `equals` on a plain value. */
export const PRIMARY_KEY_PROPERTY_TYPES = [
  'title',
  'text',
  'url',
  'email',
  'phone_number',
  'number',
] as const;

/** A database declared with `worker.database(key, config)`. */
export interface WorkerDatabase {
  readonly key: string;
  /** `managed`: created by us on first use; `attached`: bound by the user to an existing database. */
  readonly lifecycle: 'managed' | 'attached';
  /** Title used when a managed database is created; never applied afterwards. */
  readonly initialTitle: string;
  readonly primaryKeyProperty: string;
  /** Property name → schema, in declaration order. */
  readonly properties: Readonly<Record<string, WorkerPropertySchema>>;
  /** `schema.databaseIcon`, as the SDK's icon value. */
  readonly databaseIcon?: Icon;
  /** `schema.subItems`: names of the two-way self-relation used for sub-items (not settable through the API). */
  readonly subItems?: { readonly parentPropertyName: string; readonly childPropertyName: string };
}

/** A sync declared with `worker.sync(key, config)`, defaults applied. */
export interface WorkerSync {
  readonly key: string;
  readonly databaseKey: string;
  readonly primaryKeyProperty: string;
  /** @default 'replace' */
  readonly mode: WorkerSyncMode;
  /** @default every 30 minutes */
  readonly schedule: Schedule;
}

/** A pacer declared with `worker.pacer(key, config)`: at most `allowedRequests` per `intervalMs`. */
export interface WorkerPacer {
  readonly key: string;
  readonly allowedRequests: number;
  readonly intervalMs: number;
}

/** A capability of the module that notion-sync does not run (tools, webhooks, XLDB syncs, ...). */
export interface IgnoredCapability {
  readonly key: string;
  /** The SDK's `_tag` (`tool`, `webhook`, `sync`, ...). */
  readonly tag: string;
  readonly reason: string;
}

/** The validated description of a worker module: what `worker.manifest` declares, in our types. */
export interface WorkerDescription {
  /** The `@notionhq/workers` version the module was built with. */
  readonly sdkVersion: string;
  readonly databases: readonly WorkerDatabase[];
  readonly syncs: readonly WorkerSync[];
  readonly pacers: readonly WorkerPacer[];
  readonly ignoredCapabilities: readonly IgnoredCapability[];
  /** Declarations Notion's public API cannot apply (kept, not applied): show them to the user. */
  readonly warnings: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------
// Raw manifest shapes (what the SDK produces), checked with zod so that a module built with another SDK
// version fails with a path-named message instead of a TypeError later.

const selectColor = z.enum(SELECT_COLORS);
const selectOption = z.object({ name: z.string().min(1), color: selectColor.optional() });
const propertyConfig = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['title', 'text', 'url', 'email', 'phone_number', 'checkbox', 'file', 'people', 'place']),
  }),
  z.object({
    type: z.literal('number'),
    format: z
      .enum([
        'number',
        'number_with_commas',
        'percent',
        'dollar',
        'euro',
        'pound',
        'yen',
        'rupee',
        'won',
        'yuan',
      ])
      .optional(),
  }),
  z.object({
    type: z.literal('date'),
    date_format: z.enum(['relative', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY/MM/DD', 'll', 'MMM d']).optional(),
  }),
  z.object({ type: z.enum(['select', 'multi_select']), options: z.array(selectOption) }),
  z.object({
    type: z.literal('status'),
    groups: z.array(
      z.object({ name: z.enum(['To-do', 'In progress', 'Complete']), options: z.array(selectOption) }),
    ),
  }),
  z.object({
    type: z.literal('relation'),
    relatedDatabaseKey: z.string().min(1),
    config: z
      .union([
        z.object({ twoWay: z.literal(false) }),
        z.object({ twoWay: z.literal(true), relatedPropertyName: z.string().min(1) }),
      ])
      .default({ twoWay: false }),
  }),
]);
const icon = z.union([
  z.object({ type: z.literal('emoji'), value: z.string() }),
  z.object({ type: z.literal('notion'), icon: z.string(), color: z.string() }),
  z.object({ type: z.literal('image'), url: z.string() }),
]);
const rawDatabase = z.object({
  key: z.string().min(1),
  config: z.object({
    type: z.enum(['managed', 'attached']),
    initialTitle: z.string(),
    primaryKeyProperty: z.string().min(1),
    schema: z.object({
      databaseIcon: icon.optional(),
      properties: z.record(z.string(), propertyConfig),
      subItems: z.object({ parentPropertyName: z.string(), childPropertyName: z.string() }).optional(),
    }),
  }),
});
const rawSchedule = z.union([
  z.object({ type: z.literal('manual') }),
  z.object({ type: z.literal('continuous') }),
  z.object({
    type: z.literal('interval'),
    intervalMs: z.number().int().min(MIN_INTERVAL_MS).max(MAX_INTERVAL_MS),
  }),
]);
const rawSyncConfig = z.object({
  databaseKey: z.string().min(1),
  primaryKeyProperty: z.string().min(1),
  mode: z.enum(['replace', 'incremental']).optional(),
  schedule: rawSchedule.optional(),
});
const rawCapability = z.object({ _tag: z.string(), key: z.string().min(1), config: z.unknown() });
const rawManifest = z.object({
  sdkVersion: z.string().default('unknown'),
  databases: z.array(rawDatabase).default([]),
  pacers: z
    .array(
      z.object({
        key: z.string().min(1),
        config: z.object({ allowedRequests: z.number().positive(), intervalMs: z.number().positive() }),
      }),
    )
    .default([]),
  capabilities: z.array(rawCapability).default([]),
});

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/**
 * Reads `worker.manifest` into a validated {@link WorkerDescription}: defaults applied (mode `replace`, schedule
 * every 30 minutes), relation targets resolved (a sync key is accepted and resolved to its database), every
 * sync's database and primary key checked.
 *
 * @param manifest `worker.manifest` of a loaded worker.
 * @param source Where the manifest came from (a module path), for error messages.
 * @throws WorkerError listing every problem found.
 */
export function readWorkerManifest(manifest: unknown, source = 'worker module'): WorkerDescription {
  const parsed = rawManifest.safeParse(manifest);
  if (!parsed.success) {
    throw new WorkerError(`The manifest of ${source} is invalid: ${formatIssues(parsed.error.issues)}`, {
      hint: 'Build the worker with @notionhq/workers 0.9.x helpers (worker.database, worker.sync, worker.pacer).',
    });
  }
  const raw = parsed.data;
  const problems: string[] = [];
  const syncs: WorkerSync[] = [];
  const ignoredCapabilities: IgnoredCapability[] = [];
  const warnings: string[] = [];

  for (const capability of raw.capabilities) {
    if (capability._tag !== 'sync') {
      ignoredCapabilities.push({
        key: capability.key,
        tag: capability._tag,
        reason: `notion-sync runs sync capabilities only, not "${capability._tag}"`,
      });
      continue;
    }
    const config = rawSyncConfig.safeParse(capability.config);
    if (!config.success) {
      const target = (capability.config as { target?: { type?: unknown } } | undefined)?.target;
      if (target?.type === 'xldb') {
        ignoredCapabilities.push({
          key: capability.key,
          tag: 'sync',
          reason: 'it syncs into an XLDB table (alpha), which the public Notion API cannot write',
        });
      } else {
        problems.push(`sync "${capability.key}": ${formatIssues(config.error.issues)}`);
      }
      continue;
    }
    syncs.push({
      key: capability.key,
      databaseKey: config.data.databaseKey,
      primaryKeyProperty: config.data.primaryKeyProperty,
      mode: config.data.mode ?? DEFAULT_SYNC_MODE,
      schedule: config.data.schedule ?? DEFAULT_SYNC_SCHEDULE,
    });
  }

  const databaseKeys = new Set(raw.databases.map((d) => d.key));
  const syncDatabase = new Map(syncs.map((s) => [s.key, s.databaseKey]));
  const resolveRelated = (declared: string): string | undefined =>
    databaseKeys.has(declared)
      ? declared
      : syncDatabase.has(declared) && databaseKeys.has(syncDatabase.get(declared) as string)
        ? syncDatabase.get(declared)
        : undefined;

  const databases: WorkerDatabase[] = raw.databases.map((db) => {
    const properties: Record<string, WorkerPropertySchema> = {};
    for (const [name, config] of Object.entries(db.config.schema.properties)) {
      if (config.type === 'relation') {
        const related = resolveRelated(config.relatedDatabaseKey);
        if (related === undefined) {
          problems.push(
            `database "${db.key}", property "${name}": relation to "${config.relatedDatabaseKey}", which is neither a database nor a sync of this worker (databases: ${listKeys(databaseKeys)})`,
          );
        }
        properties[name] = {
          type: 'relation',
          relatedDatabaseKey: related ?? config.relatedDatabaseKey,
          declaredRelatedKey: config.relatedDatabaseKey,
          ...(config.config.twoWay
            ? { twoWay: true as const, relatedPropertyName: config.config.relatedPropertyName }
            : { twoWay: false as const }),
        };
      } else if (config.type === 'date') {
        if (config.date_format !== undefined) {
          warnings.push(
            `database "${db.key}", property "${name}": date format "${config.date_format}" is a display setting the API cannot set`,
          );
        }
        properties[name] =
          config.date_format === undefined
            ? { type: 'date' }
            : { type: 'date', dateFormat: config.date_format };
      } else {
        properties[name] = config;
      }
    }
    const pk = db.config.primaryKeyProperty;
    const pkSchema = properties[pk];
    if (pkSchema === undefined) {
      problems.push(
        `database "${db.key}": primary key property "${pk}" is not in its schema (properties: ${listKeys(Object.keys(properties))})`,
      );
    } else if (!(PRIMARY_KEY_PROPERTY_TYPES as readonly string[]).includes(pkSchema.type)) {
      problems.push(
        `database "${db.key}": primary key property "${pk}" has type "${pkSchema.type}"; use one of ${PRIMARY_KEY_PROPERTY_TYPES.join(', ')}`,
      );
    }
    const titles = Object.entries(properties).filter(([, p]) => p.type === 'title');
    if (titles.length !== 1) {
      problems.push(
        `database "${db.key}": a Notion database has exactly one title property, the schema declares ${titles.length}`,
      );
    }
    const subItems = db.config.schema.subItems;
    if (subItems) {
      warnings.push(
        `database "${db.key}": sub-items cannot be turned on through the API; the relations "${subItems.parentPropertyName}" and "${subItems.childPropertyName}" are synced, turn sub-items on in Notion`,
      );
    }
    return {
      key: db.key,
      lifecycle: db.config.type,
      initialTitle: db.config.initialTitle,
      primaryKeyProperty: pk,
      properties,
      ...(db.config.schema.databaseIcon ? { databaseIcon: db.config.schema.databaseIcon as Icon } : {}),
      ...(subItems ? { subItems } : {}),
    };
  });

  for (const sync of syncs) {
    const db = databases.find((d) => d.key === sync.databaseKey);
    if (db === undefined) {
      problems.push(
        `sync "${sync.key}": database "${sync.databaseKey}" is not declared (databases: ${listKeys(databaseKeys)})`,
      );
    } else if (db.primaryKeyProperty !== sync.primaryKeyProperty) {
      problems.push(
        `sync "${sync.key}": primary key "${sync.primaryKeyProperty}" differs from database "${db.key}"'s "${db.primaryKeyProperty}"`,
      );
    }
  }

  if (problems.length > 0) {
    throw new WorkerError(
      `The manifest of ${source} has ${problems.length} problem(s): ${problems.join('; ')}`,
      {
        hint: 'Fix the worker module so every sync, relation and primary key refers to something it declares.',
      },
    );
  }
  return {
    sdkVersion: raw.sdkVersion,
    databases,
    syncs,
    pacers: raw.pacers.map((p) => ({
      key: p.key,
      allowedRequests: p.config.allowedRequests,
      intervalMs: p.config.intervalMs,
    })),
    ignoredCapabilities,
    warnings,
  };
}

function listKeys(keys: Iterable<string>): string {
  const list = [...keys];
  return list.length ? list.map((k) => `"${k}"`).join(', ') : 'none';
}

/**
 * The sync `key` of a worker.
 * @throws WorkerError listing the known sync keys (and why a capability of that key is not runnable).
 */
export function getWorkerSync(description: WorkerDescription, key: string): WorkerSync {
  const sync = description.syncs.find((s) => s.key === key);
  if (sync) return sync;
  const ignored = description.ignoredCapabilities.find((c) => c.key === key);
  const known = listKeys(description.syncs.map((s) => s.key));
  throw new WorkerError(
    ignored
      ? `Capability "${key}" cannot be run by notion-sync: ${ignored.reason}. Known syncs: ${known}`
      : `Unknown sync "${key}". Known syncs: ${known}`,
    { hint: 'Use one of the sync keys the worker module declares with worker.sync().' },
  );
}

/**
 * The database `key` of a worker.
 * @throws WorkerError listing the known database keys.
 */
export function getWorkerDatabase(description: WorkerDescription, key: string): WorkerDatabase {
  const db = description.databases.find((d) => d.key === key);
  if (db) return db;
  throw new WorkerError(
    `Unknown database "${key}". Known databases: ${listKeys(description.databases.map((d) => d.key))}`,
    { hint: 'Use one of the database keys the worker module declares with worker.database().' },
  );
}
