/**
 * Example 3: two databases related to each other. Tasks point to their project (a two-way relation: projects
 * get a "Tasks" property) and to the tasks blocking them (a relation of the database to itself). Relations are
 * given by primary key; the runtime resolves them to pages, completing links to rows not written yet later.
 */
import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { apiGet } from '../api-fetch.js';

const worker = new Worker();
export default worker;

const projects = worker.database('projects', {
  type: 'managed',
  initialTitle: 'Projects',
  primaryKeyProperty: 'Project ID',
  schema: {
    properties: {
      Name: Schema.title(),
      'Project ID': Schema.richText(),
    },
  },
});

const tasks = worker.database('tasks', {
  type: 'managed',
  initialTitle: 'Tasks',
  primaryKeyProperty: 'Task ID',
  schema: {
    properties: {
      Name: Schema.title(),
      'Task ID': Schema.richText(),
      Project: Schema.relation('projects', { twoWay: true, relatedPropertyName: 'Tasks' }),
      'Blocked by': Schema.relation('tasks'),
    },
  },
});

worker.sync('projectsSync', {
  database: projects,
  execute: async () => {
    const { items } = await apiGet<{ items: { id: string; name: string }[] }>('/projects?limit=100');
    return {
      changes: items.map((p) => ({
        type: 'upsert' as const,
        key: p.id,
        properties: { Name: Builder.title(p.name), 'Project ID': Builder.richText(p.id) },
      })),
      hasMore: false,
    };
  },
});

worker.sync('tasksSync', {
  database: tasks,
  execute: async () => {
    const { items } = await apiGet<{
      items: { id: string; name: string; projectId: string; blockedBy: string[] }[];
    }>('/tasks?limit=100');
    return {
      changes: items.map((t) => ({
        type: 'upsert' as const,
        key: t.id,
        properties: {
          Name: Builder.title(t.name),
          'Task ID': Builder.richText(t.id),
          Project: [Builder.relation(t.projectId)],
          'Blocked by': t.blockedBy.map((id) => Builder.relation(id)),
        },
      })),
      hasMore: false,
    };
  },
});
