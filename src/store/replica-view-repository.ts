import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { NotFoundError, StoreError } from '../errors.js';
import { readJson, writeJson } from './json-column.js';
import type { RepositoryOptions } from './repository-options.js';
import { inTransaction } from './repository-options.js';
import type { Database } from './schema.js';
import { STORE_TABLE_NAMES } from './schema.js';
import type { ViewColumn, ViewPropertySchema } from './view-columns.js';
import {
  planViewColumns,
  sqlIdentifier,
  sqlLiteral,
  toSqlName,
  uniqueName,
  viewColumnExpressions,
} from './view-columns.js';

/** A typed view as created. */
export interface ReplicaView {
  dataSourceId: string;
  viewName: string;
  /** `page_id`, `title`, `page_created_time`, `page_last_edited_time`, then the property columns. */
  columnNames: string[];
  columns: ViewColumn[];
}

/**
 * Typed SQL views over the replica: one view per data source with one column per property, reading the
 * plain values in `pages.properties` and leaving out deleted and trashed pages. So
 * `SELECT title, status FROM tasks WHERE status = 'Done'` works on SQLite and PostgreSQL alike.
 *
 * Column kinds (see `viewColumnKind`): text and select-like values as text, numbers as numbers, checkboxes
 * as booleans (0/1 on SQLite), dates as `<name>_start`/`<name>_end` (ISO text), multi-values and anything
 * else as JSON text.
 */
export class ReplicaViewRepository {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  /**
   * Creates or replaces the view of a data source.
   *
   * Input: the data source's schema (Notion's `DataSourceObjectResponse['properties']`; default: the one
   * stored by `ReplicaRepository.upsertDataSource`) and a column map, property id → column name (default:
   * the one saved by the previous call, so a renamed property keeps its column). The view name is
   * `viewName`, else the one stored, else the data source's title in snake_case, never clashing with the
   * store's tables or another data source's view. Saves the view name and the column map. Throws
   * `NotFoundError` when the data source was never stored.
   */
  async createOrReplaceView(
    dataSourceId: string,
    options: {
      viewName?: string;
      properties?: ViewPropertySchema;
      columnMap?: Readonly<Record<string, string>>;
    } = {},
  ): Promise<ReplicaView> {
    const dialect = this.#options.dialect;
    return inTransaction(this.#db, async (tx) => {
      const source = await tx
        .selectFrom('data_sources')
        .select(['title', 'schema', 'column_map', 'view_name'])
        .where('id', '=', dataSourceId)
        .executeTakeFirst();
      if (source === undefined) {
        throw new NotFoundError(`Data source ${dataSourceId} is not in the replica.`, {
          hint: 'Mirror it first: its schema is stored before its view can be created.',
        });
      }
      const properties = options.properties ?? (readJson(dialect, source.schema) as ViewPropertySchema);
      const storedMap =
        options.columnMap ?? ((readJson(dialect, source.column_map) ?? {}) as Record<string, string>);
      const plan = planViewColumns(properties, storedMap, dialect.maxIdentifierLength);

      const others = await tx
        .selectFrom('data_sources')
        .select('view_name')
        .where('id', '!=', dataSourceId)
        .where('view_name', 'is not', null)
        .execute();
      const taken = new Set([...STORE_TABLE_NAMES, ...others.map((o) => o.view_name as string)]);
      const wanted =
        options.viewName !== undefined
          ? toSqlName(options.viewName, dialect.maxIdentifierLength)
          : (source.view_name ?? toSqlName(source.title || 'data_source', dialect.maxIdentifierLength));
      const viewName = uniqueName(wanted, taken, dialect.maxIdentifierLength);

      const selectList = [
        'p.id as page_id',
        'p.title as title',
        'p.created_time as page_created_time',
        'p.last_edited_time as page_last_edited_time',
      ];
      for (const column of plan.columns) {
        const expressions = viewColumnExpressions(column, dialect);
        column.columns.forEach((name, i) => selectList.push(`${expressions[i]} as ${sqlIdentifier(name)}`));
      }
      if (source.view_name !== null && source.view_name !== viewName) {
        await sql.raw(`drop view if exists ${sqlIdentifier(source.view_name)}`).execute(tx);
      }
      // Dropped and created (not CREATE OR REPLACE): PostgreSQL cannot replace a view whose columns change.
      await sql.raw(`drop view if exists ${sqlIdentifier(viewName)}`).execute(tx);
      await sql
        .raw(
          `create view ${sqlIdentifier(viewName)} as select ${selectList.join(', ')} from pages p ` +
            `where p.data_source_id = ${sqlLiteral(dataSourceId)} and p.deleted_at is null and p.in_trash = 0`,
        )
        .execute(tx);
      await tx
        .updateTable('data_sources')
        .set({ view_name: viewName, column_map: writeJson(plan.columnMap) })
        .where('id', '=', dataSourceId)
        .execute();
      return {
        dataSourceId,
        viewName,
        columnNames: [
          'page_id',
          'title',
          'page_created_time',
          'page_last_edited_time',
          ...plan.columns.flatMap((c) => c.columns),
        ],
        columns: plan.columns,
      };
    });
  }

  /** Drops the view of a data source (keeps its column map). Returns whether there was one. */
  async dropView(dataSourceId: string): Promise<boolean> {
    return inTransaction(this.#db, async (tx) => {
      const source = await tx
        .selectFrom('data_sources')
        .select('view_name')
        .where('id', '=', dataSourceId)
        .executeTakeFirst();
      if (source?.view_name == null) return false;
      await sql.raw(`drop view if exists ${sqlIdentifier(source.view_name)}`).execute(tx);
      await tx.updateTable('data_sources').set({ view_name: null }).where('id', '=', dataSourceId).execute();
      return true;
    });
  }

  /**
   * Runs user-written SQL against the replica's views and tables and returns its rows: the one escape
   * hatch for ad-hoc queries (`notion-sync query`). Read-only unless `write: true`: the database itself
   * refuses writes (SQLite `PRAGMA query_only`, a PostgreSQL `READ ONLY` transaction). On PostgreSQL a
   * read-only query cannot run inside a store transaction.
   */
  async query(text: string, options: { write?: boolean } = {}): Promise<Record<string, unknown>[]> {
    const statement = sql.raw<Record<string, unknown>>(text);
    if (options.write) return [...(await statement.execute(this.#db)).rows];
    if (this.#options.dialect.readOnlyQueries === 'query_only_pragma') {
      // Holding the connection for the three statements keeps other callers from writing under the pragma.
      const readOnly = async (db: Kysely<Database>): Promise<Record<string, unknown>[]> => {
        await sql`pragma query_only = 1`.execute(db);
        try {
          return [...(await statement.execute(db)).rows];
        } finally {
          await sql`pragma query_only = 0`.execute(db);
        }
      };
      return this.#db.isTransaction ? readOnly(this.#db) : this.#db.connection().execute(readOnly);
    }
    if (this.#db.isTransaction) {
      throw new StoreError('A read-only query cannot run inside a store transaction on PostgreSQL.', {
        hint: 'Run it on the store itself, or pass { write: true } if it is meant to write.',
      });
    }
    return this.#db
      .transaction()
      .setAccessMode('read only')
      .execute(async (tx) => [...(await statement.execute(tx)).rows]);
  }
}
