import type { Kysely } from 'kysely';

/**
 * An index for "the latest run of a job with a given status" (every job view asks for its latest failed
 * run on every refresh of the API and the status page): without it, a job that never failed has every one
 * of its runs read to find none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('runs_target_kind_status_started_id')
    .on('runs')
    .columns(['target', 'kind', 'status', 'started_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('runs_target_kind_status_started_id').execute();
}
