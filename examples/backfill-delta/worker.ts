/**
 * Example 2: a backfill + delta pair on one database. `ticketsBackfill` (replace, daily) lists everything;
 * `ticketsDelta` (incremental, every 5 minutes) follows the API's change feed from a cursor that persists
 * forever, and turns upstream deletions into delete markers.
 */
import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { apiGet } from '../api-fetch.js';

const worker = new Worker();
export default worker;

interface Issue {
  id: string;
  title: string;
  status: string;
  updatedAt: string;
}

const ticketsApi = worker.pacer('ticketsApi', { allowedRequests: 50, intervalMs: 1_000 });

const tickets = worker.database('tickets', {
  type: 'managed',
  initialTitle: 'Tickets',
  primaryKeyProperty: 'Ticket',
  schema: {
    properties: {
      Ticket: Schema.title(),
      Summary: Schema.richText(),
      Status: Schema.status({
        groups: [
          { name: 'To-do', options: [{ name: 'Open', color: 'red' }] },
          { name: 'In progress', options: [{ name: 'In progress', color: 'yellow' }] },
          { name: 'Complete', options: [{ name: 'Done', color: 'green' }] },
        ],
      }),
    },
  },
});

const upsertOf = (issue: Issue) => ({
  type: 'upsert' as const,
  key: issue.id,
  properties: {
    Ticket: Builder.title(issue.id),
    Summary: Builder.richText(issue.title),
    Status: Builder.status(issue.status),
  },
  upstreamUpdatedAt: issue.updatedAt,
});

worker.sync('ticketsBackfill', {
  database: tickets,
  mode: 'replace',
  schedule: '1d',
  execute: async (state: { cursor: string } | undefined) => {
    await ticketsApi.wait();
    const page = await apiGet<{ items: Issue[]; nextCursor: string | null }>(
      `/issues?limit=20${state ? `&cursor=${state.cursor}` : ''}`,
    );
    return {
      changes: page.items.map(upsertOf),
      hasMore: page.nextCursor !== null,
      nextState: page.nextCursor === null ? undefined : { cursor: page.nextCursor },
    };
  },
});

worker.sync('ticketsDelta', {
  database: tickets,
  mode: 'incremental',
  schedule: '5m',
  execute: async (state: { since: number } | undefined) => {
    await ticketsApi.wait();
    const feed = await apiGet<{
      changes: { type: 'upsert' | 'delete'; id: string; item?: Issue }[];
      nextSince: number;
      hasMore: boolean;
    }>(`/issues/changes?limit=20&since=${state?.since ?? 0}`);
    console.info(`delta: ${feed.changes.length} changes up to ${feed.nextSince}`);
    return {
      changes: feed.changes.map((c) =>
        c.type === 'delete' || !c.item ? { type: 'delete' as const, key: c.id } : upsertOf(c.item),
      ),
      hasMore: feed.hasMore,
      // Incremental: the cursor is kept after the last batch too, so the next cycle continues from here.
      nextState: { since: feed.nextSince },
    };
  },
});
