import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { InvalidConfigError, NotFoundError, StoreError } from '../errors.js';
import { readJson, writeJson } from './json-column.js';
import type { RepositoryOptions } from './repository-options.js';
import { inTransaction } from './repository-options.js';
import type { Database } from './schema.js';
import { STORE_TABLE_NAMES } from './schema.js';
import type { ViewColumn, ViewPropertySchema } from './view-columns.js';
import {
  VIEW_METADATA_COLUMNS,
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

/** A comparison of `ViewFilter`. `contains` is a case-insensitive substring test (on the text form of the value); `is_null` takes a boolean. */
export type ViewFilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'is_null';

/** One condition on a view column; conditions are ANDed. */
export interface ViewFilter {
  column: string;
  op: ViewFilterOp;
  /** A string, number or boolean; for `is_null`, true (is null) or false (is not null). */
  value?: string | number | boolean | null;
}

/** A structured, read-only query of one typed view. */
export interface ViewQuery {
  /** The view name, or the id of its data source. */
  view: string;
  where?: readonly ViewFilter[];
  /** Columns to return. @default every column of the view */
  columns?: readonly string[];
  orderBy?: readonly { column: string; direction?: 'asc' | 'desc' }[];
  /** @default DEFAULT_VIEW_QUERY_LIMIT, at most MAX_VIEW_QUERY_LIMIT */
  limit?: number;
}

/** Rows returned by `queryView` when no limit is given. */
export const DEFAULT_VIEW_QUERY_LIMIT = 100;
/** The most rows `queryView` returns. */
export const MAX_VIEW_QUERY_LIMIT = 500;

/** A view and its columns, as `describeViews` lists them. */
export interface ReplicaViewInfo {
  dataSourceId: string;
  title: string;
  viewName: string;
  columns: { name: string; kind: string; propertyName: string | null }[];
}

/** A view-less row source for Kysely: the typed views are not in the `Database` type. */
type ViewTables = Record<string, Record<string, unknown>>;

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

  /** Every data source that has a view, with the view's columns (metadata columns first). */
  async describeViews(): Promise<ReplicaViewInfo[]> {
    const rows = await this.#db
      .selectFrom('data_sources')
      .select(['id', 'title', 'schema', 'column_map', 'view_name'])
      .where('view_name', 'is not', null)
      .orderBy('view_name')
      .execute();
    return rows.map((row) => {
      const dialect = this.#options.dialect;
      const properties = readJson(dialect, row.schema) as ViewPropertySchema;
      const columnMap = (readJson(dialect, row.column_map) ?? {}) as Record<string, string>;
      const plan = planViewColumns(properties, columnMap, dialect.maxIdentifierLength);
      return {
        dataSourceId: row.id,
        title: row.title,
        viewName: row.view_name as string,
        columns: [
          ...VIEW_METADATA_COLUMNS.map((name) => ({ name, kind: 'text', propertyName: null })),
          ...plan.columns.flatMap((c) =>
            c.columns.map((name) => ({ name, kind: c.kind, propertyName: c.propertyName })),
          ),
        ],
      };
    });
  }

  /**
   * Runs a structured query on one typed view, read-only, with every value bound as a parameter and every
   * column name checked against the view's columns. Throws `NotFoundError` for an unknown view and
   * `InvalidConfigError` (its `issues` name the field, e.g. `where[0].column`) for a bad column, operator
   * value or limit.
   */
  async queryView(
    input: ViewQuery,
  ): Promise<{ viewName: string; columns: string[]; rows: Record<string, unknown>[] }> {
    const views = await this.describeViews();
    const info = views.find((v) => v.viewName === input.view || v.dataSourceId === input.view);
    if (info === undefined) {
      throw new NotFoundError(`No typed view named "${input.view}" in the replica.`, {
        hint: `Use one of: ${views.map((v) => v.viewName).join(', ') || '(none: mirror a database first)'}.`,
      });
    }
    const known = new Set(info.columns.map((c) => c.name));
    const issues: { path: string; message: string }[] = [];
    const check = (name: string, path: string): void => {
      if (!known.has(name))
        issues.push({ path, message: `unknown column "${name}" of view ${info.viewName}` });
    };
    const columns =
      input.columns && input.columns.length > 0 ? [...input.columns] : info.columns.map((c) => c.name);
    columns.forEach((c, i) => check(c, `columns[${i}]`));
    (input.where ?? []).forEach((f, i) => {
      check(f.column, `where[${i}].column`);
      if (
        f.op === 'is_null'
          ? typeof f.value !== 'boolean' && f.value !== undefined
          : f.value === undefined || f.value === null
      ) {
        issues.push({
          path: `where[${i}].value`,
          message:
            f.op === 'is_null' ? 'expected true or false' : `"${f.op}" needs a value (use is_null for nulls)`,
        });
      }
      if (f.op === 'contains' && typeof f.value !== 'string') {
        issues.push({ path: `where[${i}].value`, message: 'contains needs a string' });
      }
    });
    (input.orderBy ?? []).forEach((o, i) => check(o.column, `order_by[${i}].column`));
    const limit = input.limit ?? DEFAULT_VIEW_QUERY_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_VIEW_QUERY_LIMIT) {
      issues.push({ path: 'limit', message: `expected an integer from 1 to ${MAX_VIEW_QUERY_LIMIT}` });
    }
    if (issues.length > 0) {
      throw new InvalidConfigError(
        `Invalid query of view ${info.viewName}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
        issues,
        {
          hint: `Columns of ${info.viewName}: ${[...known].join(', ')}.`,
        },
      );
    }
    const booleans = this.#options.dialect.viewBooleans === 'integer';
    const bind = (v: string | number | boolean): string | number | boolean =>
      booleans && typeof v === 'boolean' ? (v ? 1 : 0) : v;
    const rows = await this.#readOnly(async (db) => {
      const views = db as unknown as Kysely<ViewTables>;
      const ref = (name: string) => views.dynamic.ref<string>(name);
      let query = views.selectFrom(info.viewName).select(columns.map(ref));
      for (const f of input.where ?? []) {
        const value = f.value as string | number | boolean;
        if (f.op === 'is_null') query = query.where(ref(f.column), f.value === false ? 'is not' : 'is', null);
        else if (f.op === 'contains') {
          // Case-insensitive on both dialects; `%`, `_` and `\` in the value match themselves.
          const pattern = `%${String(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query = query.where(
            sql<boolean>`lower(cast(${ref(f.column)} as text)) like lower(${pattern}) escape '\\'`,
          );
        } else query = query.where(ref(f.column), f.op === '!=' ? '<>' : f.op, bind(value));
      }
      for (const o of input.orderBy ?? []) query = query.orderBy(ref(o.column), o.direction ?? 'asc');
      return query.limit(limit).execute();
    });
    return { viewName: info.viewName, columns, rows };
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
    return this.#readOnly(async (db) => [...(await statement.execute(db)).rows]);
  }

  /** Runs `fn` where the database refuses writes (SQLite `query_only`, a PostgreSQL READ ONLY transaction). */
  async #readOnly<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.#options.dialect.readOnlyQueries === 'query_only_pragma') {
      // Holding the connection for the three statements keeps other callers from writing under the pragma.
      const readOnly = async (db: Kysely<Database>): Promise<T> => {
        await sql`pragma query_only = 1`.execute(db);
        try {
          return await fn(db);
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
    return this.#db.transaction().setAccessMode('read only').execute(fn);
  }
}
