import type { Kysely } from 'kysely';

/**
 * Indexes that serve the run lists newest first with the `id` tie-breaker of their keyset cursor, so
 * "the latest runs of a job" reads a few index entries instead of sorting every run of the job (the HTTP
 * API and the status page ask it for every job on every refresh).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('runs_target_kind_started_id')
    .on('runs')
    .columns(['target', 'kind', 'started_at', 'id'])
    .execute();
  await db.schema.createIndex('runs_started_id').on('runs').columns(['started_at', 'id']).execute();
  await db.schema.dropIndex('runs_target_started').execute();
  await db.schema.dropIndex('runs_started').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('runs_target_started').on('runs').columns(['target', 'started_at']).execute();
  await db.schema.createIndex('runs_started').on('runs').column('started_at').execute();
  await db.schema.dropIndex('runs_target_kind_started_id').execute();
  await db.schema.dropIndex('runs_started_id').execute();
}
