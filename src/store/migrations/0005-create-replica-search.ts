import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';

/**
 * Full-text search over page titles and bodies. Both dialects tokenize without stemming (FTS5's
 * `unicode61`, PostgreSQL's `simple` configuration), so the same query finds the same pages on both.
 */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect.fullTextSearch === 'fts5') {
    await sql
      .raw(
        "create virtual table pages_fts using fts5(title, body_markdown, content='pages', content_rowid='rid', " +
          "tokenize='unicode61 remove_diacritics 2')",
      )
      .execute(db);
    // Keep the external-content index in sync. The update trigger fires only when the indexed text really
    // changed, so re-upserting an unchanged page costs no index work.
    await sql
      .raw(
        'create trigger pages_fts_insert after insert on pages begin ' +
          'insert into pages_fts(rowid, title, body_markdown) values (new.rid, new.title, new.body_markdown); end',
      )
      .execute(db);
    await sql
      .raw(
        'create trigger pages_fts_delete after delete on pages begin ' +
          "insert into pages_fts(pages_fts, rowid, title, body_markdown) values ('delete', old.rid, old.title, old.body_markdown); end",
      )
      .execute(db);
    await sql
      .raw(
        'create trigger pages_fts_update after update of title, body_markdown on pages ' +
          'when old.title is not new.title or old.body_markdown is not new.body_markdown begin ' +
          "insert into pages_fts(pages_fts, rowid, title, body_markdown) values ('delete', old.rid, old.title, old.body_markdown); " +
          'insert into pages_fts(rowid, title, body_markdown) values (new.rid, new.title, new.body_markdown); end',
      )
      .execute(db);
  } else {
    await sql
      .raw(
        'alter table pages add column search tsvector generated always as (' +
          "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || " +
          "setweight(to_tsvector('simple', coalesce(body_markdown, '')), 'B')) stored",
      )
      .execute(db);
    await sql.raw('create index pages_search on pages using gin (search)').execute(db);
  }
}

export async function down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect.fullTextSearch === 'fts5') {
    for (const name of ['pages_fts_insert', 'pages_fts_delete', 'pages_fts_update']) {
      await sql.raw(`drop trigger if exists ${name}`).execute(db);
    }
    await sql.raw('drop table if exists pages_fts').execute(db);
  } else {
    await sql.raw('drop index if exists pages_search').execute(db);
    await sql.raw('alter table pages drop column if exists search').execute(db);
  }
}
