import { z } from 'zod';
import { DEFAULT_VIEW_QUERY_LIMIT, MAX_VIEW_QUERY_LIMIT } from '../store/replica-view-repository.js';
import type { ViewQuery } from '../store/replica-view-repository.js';

/**
 * The structured replica query shared by `POST /api/query` and the MCP tool `notion_query` (snake_case
 * fields, as agents and JSON clients write them). Each field is described for an agent reading the schema.
 */
export const viewQueryShape = {
  view: z
    .string()
    .min(1)
    .describe(
      'The typed view to read: its view name (e.g. "tasks") or its data source id. List them with notion_sync action "list_databases".',
    ),
  where: z
    .array(
      z.object({
        column: z.string().min(1).describe('A column of the view (see list_databases).'),
        op: z
          .enum(['=', '!=', '<', '<=', '>', '>=', 'contains', 'is_null'])
          .describe(
            'Comparison. "contains" is a case-insensitive substring match on the value as text (also finds an item in a multi-select, stored as JSON text). "is_null" with value true keeps empty cells, with false non-empty ones.',
          ),
        value: z
          .union([z.string(), z.number(), z.boolean(), z.null()])
          .optional()
          .describe(
            'The value to compare with. Checkboxes are booleans; dates are ISO 8601 text (compare <date>_start columns); leave out for is_null meaning true.',
          ),
      }),
    )
    .max(20)
    .optional()
    .describe('Conditions, all of which must hold (AND).'),
  columns: z
    .array(z.string().min(1))
    .max(100)
    .optional()
    .describe('Columns to return; default all columns of the view.'),
  order_by: z
    .array(
      z.object({
        column: z.string().min(1).describe('A column of the view.'),
        direction: z.enum(['asc', 'desc']).optional().describe('Default asc.'),
      }),
    )
    .max(5)
    .optional()
    .describe('Sort order, first key first.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_VIEW_QUERY_LIMIT)
    .optional()
    .describe(`Most rows to return, 1 to ${MAX_VIEW_QUERY_LIMIT}; default ${DEFAULT_VIEW_QUERY_LIMIT}.`),
};

/** `viewQueryShape` as one object schema. */
export const viewQuerySchema = z.object(viewQueryShape);

/** The parsed input as the store's `ViewQuery`. */
export function toViewQuery(input: z.output<typeof viewQuerySchema>): ViewQuery {
  return {
    view: input.view,
    ...(input.where === undefined ? {} : { where: input.where }),
    ...(input.columns === undefined ? {} : { columns: input.columns }),
    ...(input.order_by === undefined ? {} : { orderBy: input.order_by }),
    ...(input.limit === undefined ? {} : { limit: input.limit }),
  };
}
