import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';

const APPEND_ONLY_MESSAGE = 'page_versions is append-only: history rows cannot be updated or deleted';

/** The replica: `data_sources`, `pages` and the append-only `page_versions`. */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const json = dialect.jsonColumnType;
  await db.schema
    .createTable('data_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('database_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('schema', json, (c) => c.notNull())
    .addColumn('column_map', json)
    .addColumn('view_name', 'text', (c) => c.unique())
    .addColumn('last_synced_at', 'text')
    .addColumn('watermark', 'text')
    .execute();

  let pages = db.schema.createTable('pages');
  // FTS5's external-content table is keyed by an integer rowid, which must never change (VACUUM renumbers
  // implicit rowids), so SQLite gets an explicit INTEGER PRIMARY KEY and the page id is a unique key.
  pages =
    dialect.fullTextSearch === 'fts5'
      ? pages
          .addColumn('rid', 'integer', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull().unique())
      : pages.addColumn('id', 'text', (c) => c.primaryKey());
  await pages
    .addColumn('data_source_id', 'text', (c) => c.notNull())
    .addColumn('properties', json, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_time', 'text', (c) => c.notNull())
    .addColumn('last_edited_time', 'text', (c) => c.notNull())
    .addColumn('in_trash', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text')
    .addColumn('body_json', json)
    .addColumn('body_hash', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_reason', 'text')
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pages_data_source').on('pages').columns(['data_source_id', 'id']).execute();

  await db.schema
    .createTable('page_versions')
    .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('observed_at', 'text', (c) => c.notNull())
    .addColumn('change_kind', 'text', (c) =>
      c.notNull().check(sql`change_kind in ('created', 'updated', 'deleted', 'restored')`),
    )
    .addColumn('properties', json, (c) => c.notNull())
    .addColumn('body_hash', 'text')
    .addColumn('changed_properties', json, (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addPrimaryKeyConstraint('page_versions_pk', ['page_id', 'version'])
    .execute();
  await db.schema.createIndex('page_versions_run').on('page_versions').column('run_id').execute();

  // History is append-only (DESIGN invariant 6): the database itself refuses UPDATE and DELETE.
  if (dialect.name === 'sqlite') {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger page_versions_no_${op} before ${op} on page_versions ` +
            `begin select raise(abort, '${APPEND_ONLY_MESSAGE}'); end`,
        )
        .execute(db);
    }
  } else {
    await sql
      .raw(
        `create or replace function page_versions_append_only() returns trigger language plpgsql as $$ ` +
          `begin raise exception '${APPEND_ONLY_MESSAGE}'; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        'create trigger page_versions_append_only before update or delete on page_versions ' +
          'for each row execute function page_versions_append_only()',
      )
      .execute(db);
    await sql
      .raw(
        'create trigger page_versions_no_truncate before truncate on page_versions ' +
          'for each statement execute function page_versions_append_only()',
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema.dropTable('page_versions').execute();
  if (dialect.name === 'postgres') await sql`drop function if exists page_versions_append_only()`.execute(db);
  await db.schema.dropTable('pages').execute();
  await db.schema.dropTable('data_sources').execute();
}
