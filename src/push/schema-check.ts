/**
 * When the push engine may trust a database's schema without reading it again, and what it does when Notion
 * says otherwise.
 *
 * Reading a data source's schema costs one `dataSources.retrieve` per database per cycle, which is most of what
 * a quiet cycle costs. So a binding remembers the last check that found Notion fitting the declaration: the
 * declaration's fingerprint and when. A later cycle with the same fingerprint, within `maxAgeMs` of that check,
 * skips the read. A schema changed by hand in Notion meanwhile is caught where it matters, at write time: Notion
 * refuses a write to a property that is gone or retyped (400 `validation_error`), and
 * {@link checkSchemaAfterRejection} then re-reads the schema, forgets the check (the next run re-reads and
 * migrates), and fails the batch with an error naming what changed. The batch's cursor does not advance, so
 * nothing is lost: the next run repeats it.
 */
import { createHash } from 'node:crypto';
import { WorkerError } from '../errors.js';
import { canonicalJson } from '../notion/properties/comparable-value.js';
import type { NotionGateway } from '../notion/gateway.js';
import { NotionApiError } from '../notion/notion-api-error.js';
import type { Store } from '../store/index.js';
import {
  checkAttachedSchema,
  type DataSourceIdResolver,
  type NotionProperties,
} from '../workers/database-schema.js';
import type { WorkerDatabase } from '../workers/worker-manifest.js';
import { saveDatabaseBinding, type DatabaseBinding } from './push-records.js';

/**
 * How long a schema check is trusted for an unchanged declaration, in ms. Within it a cycle reads no schema; a
 * schema changed by hand in Notion is still caught at the first write it breaks ({@link checkSchemaAfterRejection}).
 */
export const DEFAULT_SCHEMA_RECHECK_MS = 60 * 60_000;

/** The last check that found a data source fitting its declaration. */
export interface SchemaCheck {
  /** {@link schemaFingerprint} of the declaration checked. */
  readonly fingerprint: string;
  /** When, as an ISO timestamp. */
  readonly checkedAt: string;
}

/**
 * A short hash of a database's declaration and of the data sources its relations point to (a relation fits only
 * its target's data source, so a re-bound target changes the fingerprint).
 */
export function schemaFingerprint(
  database: WorkerDatabase,
  resolveDataSourceId: DataSourceIdResolver,
): string {
  const related: Record<string, string | null> = {};
  for (const schema of Object.values(database.properties)) {
    if (schema.type === 'relation')
      related[schema.relatedDatabaseKey] = resolveDataSourceId(schema.relatedDatabaseKey) ?? null;
  }
  return createHash('sha256').update(canonicalJson({ database, related }), 'utf8').digest('hex').slice(0, 32);
}

/** True when the binding's last check covers this fingerprint and is younger than `maxAgeMs`. */
export function isSchemaCheckFresh(
  binding: DatabaseBinding,
  fingerprint: string,
  nowMs: number,
  maxAgeMs: number,
): boolean {
  const check = binding.schemaCheck;
  if (check === undefined || check.fingerprint !== fingerprint || maxAgeMs <= 0) return false;
  const age = nowMs - Date.parse(check.checkedAt);
  return age >= 0 && age < maxAgeMs;
}

/** The binding without its schema check: the next run reads the schema again. */
export async function forgetSchemaCheck(store: Store, binding: DatabaseBinding): Promise<DatabaseBinding> {
  if (binding.schemaCheck === undefined) return binding;
  const { schemaCheck: _dropped, ...rest } = binding;
  await saveDatabaseBinding(store, rest);
  return rest;
}

/** True for Notion's answer to a write that does not fit the data source (400 `validation_error`). */
export function isValidationRejection(error: unknown): boolean {
  return error instanceof NotionApiError && error.notionCode === 'validation_error';
}

/** Options of {@link checkSchemaAfterRejection}. */
export interface SchemaRejectionCheck {
  readonly store: Store;
  readonly gateway: NotionGateway;
  readonly database: WorkerDatabase;
  readonly binding: DatabaseBinding;
  readonly resolveDataSourceId: DataSourceIdResolver;
}

/**
 * After Notion refused a write to a database with `validation_error`: forgets the binding's schema check and
 * re-reads the schema (one `dataSources.retrieve`).
 *
 * @returns A WorkerError naming every property that no longer fits and what to do, when the schema was changed
 *   in Notion; `undefined` when the schema still fits (the refusal was about a value, not the schema).
 */
export async function checkSchemaAfterRejection(
  options: SchemaRejectionCheck,
): Promise<WorkerError | undefined> {
  const { database, binding } = options;
  await forgetSchemaCheck(options.store, binding);
  const dataSource = await options.gateway.client.dataSources.retrieve({
    data_source_id: binding.dataSourceId,
  });
  const current = (dataSource as { properties?: NotionProperties }).properties ?? {};
  const mismatches = checkAttachedSchema(database, current, options.resolveDataSourceId);
  if (mismatches.length === 0) return undefined;
  const hint =
    binding.lifecycle === 'managed'
      ? 'Run the sync again: it re-reads the schema, adds what is missing back (a retyped property needs --allow-destructive), and repeats this batch. To keep the change, change the worker schema to match.'
      : 'Restore the properties in Notion, or change the worker schema to match; the next run repeats this batch.';
  return new WorkerError(
    `Database "${database.key}" was changed in Notion and no longer fits the worker's schema: ${mismatches.map((m) => m.message).join('; ')}. Nothing of this batch was lost: its cursor did not advance.`,
    { hint },
  );
}
