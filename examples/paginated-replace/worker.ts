/**
 * Example 1: a paginated `replace` sync. Each cycle lists every issue of the JSON API, ten per `execute`; rows
 * that disappear upstream are swept by the runtime after a complete cycle.
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
  points: number;
  labels: string[];
  url: string;
  updatedAt: string;
}

const issuesApi = worker.pacer('issuesApi', { allowedRequests: 50, intervalMs: 1_000 });

const issues = worker.database('issues', {
  type: 'managed',
  initialTitle: 'Issues',
  primaryKeyProperty: 'Issue ID',
  schema: {
    databaseIcon: Builder.emojiIcon('🐛'),
    properties: {
      Title: Schema.title(),
      'Issue ID': Schema.richText(),
      Status: Schema.select([
        { name: 'Open', color: 'red' },
        { name: 'In progress', color: 'yellow' },
        { name: 'Done', color: 'green' },
      ]),
      Points: Schema.number('number'),
      Labels: Schema.multiSelect([{ name: 'bug', color: 'red' }, { name: 'feature' }, { name: 'ui' }]),
      Link: Schema.url(),
      Updated: Schema.date(),
    },
  },
});

worker.sync('issuesSync', {
  database: issues,
  schedule: '15m',
  execute: async (state: { cursor: string } | undefined) => {
    await issuesApi.wait();
    const page = await apiGet<{ items: Issue[]; nextCursor: string | null }>(
      `/issues?limit=10${state ? `&cursor=${state.cursor}` : ''}`,
    );
    console.log(`fetched ${page.items.length} issues from cursor ${state?.cursor ?? 'start'}`);
    return {
      changes: page.items.map((issue) => ({
        type: 'upsert' as const,
        key: issue.id,
        properties: {
          Title: Builder.title(issue.title),
          'Issue ID': Builder.richText(issue.id),
          Status: Builder.select(issue.status),
          Points: Builder.number(issue.points),
          Labels: Builder.multiSelect(...issue.labels),
          Link: Builder.url(issue.url),
          Updated: Builder.dateTime(issue.updatedAt),
        },
        upstreamUpdatedAt: issue.updatedAt,
      })),
      hasMore: page.nextCursor !== null,
      nextState: page.nextCursor === null ? undefined : { cursor: page.nextCursor },
    };
  },
});
