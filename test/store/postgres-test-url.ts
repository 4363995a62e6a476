import pg from 'pg';

/** The PostgreSQL the store tests use. */
export const POSTGRES_TEST_URL =
  process.env['NOTION_SYNC_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL without credentials, for messages. */
export const POSTGRES_TEST_WHERE = POSTGRES_TEST_URL.replace(/\/\/[^@/]*@/, '//');

/** Whether PostgreSQL answers at `url` within 2 s. */
export async function postgresReachable(url: string = POSTGRES_TEST_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh schema name for one test file. */
export function freshSchemaName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}

/** Drops `schema` and everything in it. */
export async function dropSchema(schema: string, url: string = POSTGRES_TEST_URL): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
