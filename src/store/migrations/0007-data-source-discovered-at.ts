import type { Kysely } from 'kysely';

/**
 * `data_sources.discovered_at`: when the mirror last read the data source's place and schema from Notion.
 * A delta reuses the stored discovery while it is younger than the mirror's rediscovery age (and nothing in
 * the query results disagrees with it), so a no-op delta costs one query.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('data_sources').addColumn('discovered_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('data_sources').dropColumn('discovered_at').execute();
}
