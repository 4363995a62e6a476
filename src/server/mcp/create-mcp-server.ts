import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { redactSecrets } from '../../errors.js';
import { redactValue } from '../../logger.js';
import type { EngineApi } from '../engine-api.js';
import { ServerError, toErrorResponse } from '../server-error.js';
import { toViewQuery, viewQueryShape } from '../view-query-schema.js';

/** The MCP server's name and version as announced to clients. */
export const MCP_SERVER_INFO = { name: 'notion-sync', version: '0.1.0' } as const;

/** Every tool answer is JSON text, redacted as a last line of defence (DESIGN invariant 8). */
function answer(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: redactSecrets(JSON.stringify(redactValue(value), null, 2)) }] };
}

/** An error as a tool result the agent can read and act on: `{ error: { code, message, hint? } }`. */
function failure(error: unknown): CallToolResult {
  return { ...answer(toErrorResponse(error).body), isError: true };
}

async function guarded(fn: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return answer(await fn());
  } catch (error) {
    return failure(error);
  }
}

/**
 * The MCP server over the engine: three tools that call the same `EngineApi` as the HTTP routes.
 * - `notion_sync`: `sync` (one job or all), `status`, `list_databases`
 * - `notion_history`: the versions of a page in the replica
 * - `notion_query`: a structured read-only query of a typed view
 * Connect it to a transport: `StdioServerTransport` (`notion-sync mcp`) or streamable HTTP (`/mcp`).
 */
export function createMcpServer(api: EngineApi): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, {
    instructions:
      'notion-sync mirrors Notion databases into a local SQL replica and syncs sources into Notion. ' +
      'Use notion_sync {action:"status"} to see jobs, {action:"list_databases"} to see queryable views and their ' +
      "columns, notion_query to read rows, notion_history for a page's past versions, and " +
      'notion_sync {action:"sync"} to run a job now.',
  });

  server.registerTool(
    'notion_sync',
    {
      title: 'notion-sync jobs',
      description:
        'Control and inspect notion-sync. action "status": every job (mirrors of Notion databases, syncs into Notion) ' +
        'with health (HEALTHY, INITIALIZING, WARNING, ERROR, DISABLED), whether it is running, last run (id, status, ' +
        'finishedAt), next run, record counts of the last run, the last error, and blockedBy: leases another ' +
        'process (or a run that died) holds on it, with holder host and pid, since, expiresAt and holderState ' +
        '(alive, gone, other_host); pass job to see one. ' +
        'action "sync": start a run now of job, or of every job when job is left out; answers at once with the run ' +
        'ids (a job already running is not started twice: it is reported with code "already_running"; one whose ' +
        'lease another process holds is refused with code "lease_held", saying who holds it, until when and how to ' +
        'clear it). ' +
        'action "pause": stop scheduling job (a run in progress finishes; triggers are refused) until action ' +
        '"resume"; both need job, are kept across restarts, and answer with the job. ' +
        'action "list_databases": the mirrored databases that can be queried with notion_query, each with its view ' +
        'name and columns (name, kind text/number/boolean/date/json, Notion property name).',
      inputSchema: {
        action: z.enum(['sync', 'status', 'list_databases', 'pause', 'resume']).describe('What to do.'),
        job: z
          .string()
          .min(1)
          .optional()
          .describe('A job id such as "mirror:tasks" or "sync:github-issues" (see action "status").'),
      },
      annotations: { openWorldHint: true },
    },
    async ({ action, job }) =>
      guarded(async () => {
        switch (action) {
          case 'status':
            return job === undefined ? { jobs: await api.listJobs() } : { job: await api.getJob(job) };
          case 'list_databases':
            return { databases: await api.listDatabases() };
          case 'pause':
          case 'resume': {
            if (job === undefined) {
              throw new ServerError('invalid_request', `action "${action}" needs job.`, {
                issues: [{ path: 'job', message: 'required for pause and resume' }],
                hint: 'Pass a job id from notion_sync {action:"status"}, such as "mirror:tasks".',
              });
            }
            return { job: action === 'pause' ? await api.pauseJob(job) : await api.resumeJob(job) };
          }
          case 'sync': {
            if (job !== undefined) return { started: [await api.triggerJob(job, 'mcp')], refused: [] };
            const jobs = await api.listJobs();
            const started: { jobId: string; runId: string | null }[] = [];
            const refused: { jobId: string; error: unknown }[] = [];
            for (const j of jobs) {
              try {
                started.push(await api.triggerJob(j.id, 'mcp'));
              } catch (error) {
                refused.push({ jobId: j.id, error: toErrorResponse(error).body.error });
              }
            }
            return { started, refused };
          }
        }
      }),
  );

  server.registerTool(
    'notion_history',
    {
      title: 'Page history',
      description:
        'The versions of one Notion page as the local replica recorded them, oldest first: for each, the version ' +
        'number, when it was observed, the change kind (created, updated, deleted, restored), the names of the ' +
        'properties that changed and the full property values at that version. Only pages of mirrored databases ' +
        'have a history.',
      inputSchema: {
        page: z
          .string()
          .min(1)
          .describe(
            'The page: a Notion page id (32 hex characters, dashes optional) or a notion.so / notion.site URL.',
          ),
        limit: z
          .number()
          .int()
          .min(1)
          .max(500)
          .optional()
          .describe('Return only the newest N versions (still oldest first). Default: all.'),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ page, limit }) =>
      guarded(async () => {
        const history = await api.pageHistory(page);
        return limit === undefined ? history : { ...history, versions: history.versions.slice(-limit) };
      }),
  );

  server.registerTool(
    'notion_query',
    {
      title: 'Query the replica',
      description:
        'Read rows of a mirrored Notion database from the local SQL replica (read-only). Each database is a typed ' +
        'view with one column per property plus page_id, title, page_created_time, page_last_edited_time; dates ' +
        'are two columns <name>_start and <name>_end; multi-selects, people and relations are JSON text. Get view ' +
        'names and columns from notion_sync {action:"list_databases"}. Example: {"view":"tasks","where":[{"column":' +
        '"status","op":"=","value":"Done"}],"columns":["title","status"],"order_by":[{"column":"title"}],"limit":20}.',
      inputSchema: viewQueryShape,
      annotations: { readOnlyHint: true },
    },
    async (input) => guarded(async () => api.queryReplica(toViewQuery(input))),
  );

  return server;
}
