import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';

/** `key_map` ((target, key) → page) and `pending_writes` (write-ahead records of creates). */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('key_map')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('page_id', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text')
    .addColumn('body_hash', 'text')
    .addColumn('upstream_updated_at', 'text')
    .addColumn('last_cycle_seen', 'integer')
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_written_at', 'text')
    .addPrimaryKeyConstraint('key_map_pk', ['target', 'key'])
    .execute();
  // One page never stands for two keys of the same target.
  await db.schema.createIndex('key_map_page').on('key_map').columns(['target', 'page_id']).unique().execute();
  await db.schema.createIndex('key_map_cycle').on('key_map').columns(['target', 'last_cycle_seen']).execute();

  await db.schema
    .createTable('pending_writes')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('intent', dialect.jsonColumnType, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pending_writes_pk', ['target', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pending_writes').execute();
  await db.schema.dropTable('key_map').execute();
}
