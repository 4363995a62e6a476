import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';

/** `sync_state` (cursor and cycle of each sync) and `leases` (who runs what until when). */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('sync_state')
    .addColumn('sync_key', 'text', (c) => c.primaryKey())
    .addColumn('state', dialect.jsonColumnType)
    .addColumn('cycle', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cycle_started_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_run_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_state_next_run').on('sync_state').column('next_run_at').execute();

  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('fence', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute();
  await db.schema.dropTable('sync_state').execute();
}
