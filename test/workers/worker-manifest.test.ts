import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { j } from '@notionhq/workers/schema-builder';
import { describe, expect, it } from 'vitest';
import { WorkerError } from '../../src/errors.js';
import {
  DEFAULT_SYNC_SCHEDULE,
  getWorkerDatabase,
  getWorkerSync,
  readWorkerManifest,
} from '../../src/workers/worker-manifest.js';

const noop = async () => ({ changes: [], hasMore: false });

function taskWorker(): { worker: Worker; tasks: ReturnType<Worker['database']> } {
  const worker = new Worker();
  const tasks = worker.database('tasks', {
    type: 'managed',
    initialTitle: 'Tasks',
    primaryKeyProperty: 'Task ID',
    schema: {
      databaseIcon: Builder.emojiIcon('✅'),
      properties: {
        Name: Schema.title(),
        'Task ID': Schema.richText(),
        Priority: Schema.select([{ name: 'High', color: 'red' }, { name: 'Low' }]),
        Due: Schema.date('YYYY/MM/DD'),
      },
    },
  });
  return { worker, tasks };
}

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkerError);
    return (e as Error).message;
  }
  throw new Error('expected a WorkerError');
}

describe(readWorkerManifest, () => {
  it('applies the defaults: mode replace and a 30 minute schedule', () => {
    const { worker, tasks } = taskWorker();
    worker.sync('tasksSync', { database: tasks, execute: noop });
    const d = readWorkerManifest(worker.manifest);
    expect(d.syncs).toEqual([
      {
        key: 'tasksSync',
        databaseKey: 'tasks',
        primaryKeyProperty: 'Task ID',
        mode: 'replace',
        schedule: { type: 'interval', intervalMs: 1_800_000 },
      },
    ]);
    expect(DEFAULT_SYNC_SCHEDULE).toEqual({ type: 'interval', intervalMs: 30 * 60_000 });
    expect(d.sdkVersion).toBe('0.9.2');
  });

  it('keeps declared modes and schedules as our Schedule type', () => {
    const { worker, tasks } = taskWorker();
    worker.sync('a', { database: tasks, mode: 'incremental', schedule: 'continuous', execute: noop });
    worker.sync('b', { database: tasks, schedule: 'manual', execute: noop });
    worker.sync('c', { database: tasks, schedule: '2h', execute: noop });
    const d = readWorkerManifest(worker.manifest);
    expect(d.syncs.map((s) => [s.key, s.mode, s.schedule])).toEqual([
      ['a', 'incremental', { type: 'continuous' }],
      ['b', 'replace', { type: 'manual' }],
      ['c', 'replace', { type: 'interval', intervalMs: 7_200_000 }],
    ]);
  });

  it('describes databases with lifecycle, title, primary key, schema and icon, and pacers', () => {
    const { worker, tasks } = taskWorker();
    worker.pacer('api', { allowedRequests: 10, intervalMs: 1000 });
    worker.sync('tasksSync', { database: tasks, execute: noop });
    const d = readWorkerManifest(worker.manifest);
    expect(getWorkerDatabase(d, 'tasks')).toEqual({
      key: 'tasks',
      lifecycle: 'managed',
      initialTitle: 'Tasks',
      primaryKeyProperty: 'Task ID',
      databaseIcon: { type: 'emoji', value: '✅' },
      properties: {
        Name: { type: 'title' },
        'Task ID': { type: 'text' },
        Priority: { type: 'select', options: [{ name: 'High', color: 'red' }, { name: 'Low' }] },
        Due: { type: 'date', dateFormat: 'YYYY/MM/DD' },
      },
    });
    expect(d.pacers).toEqual([{ key: 'api', allowedRequests: 10, intervalMs: 1000 }]);
  });

  it('resolves relations given by database key or by sync key (older docs) to the database', () => {
    const worker = new Worker();
    const projects = worker.database('projects', {
      type: 'managed',
      initialTitle: 'Projects',
      primaryKeyProperty: 'Name',
      schema: { properties: { Name: Schema.title() } },
    });
    const tasks = worker.database('tasks', {
      type: 'managed',
      initialTitle: 'Tasks',
      primaryKeyProperty: 'Name',
      schema: {
        properties: {
          Name: Schema.title(),
          Project: Schema.relation('projectsSync', { twoWay: true, relatedPropertyName: 'Tasks' }),
          Parent: Schema.relation('tasks'),
        },
      },
    });
    worker.sync('projectsSync', { database: projects, execute: noop });
    worker.sync('tasksSync', { database: tasks, execute: noop });
    const props = getWorkerDatabase(readWorkerManifest(worker.manifest), 'tasks').properties;
    expect(props.Project).toEqual({
      type: 'relation',
      relatedDatabaseKey: 'projects',
      declaredRelatedKey: 'projectsSync',
      twoWay: true,
      relatedPropertyName: 'Tasks',
    });
    expect(props.Parent).toEqual({
      type: 'relation',
      relatedDatabaseKey: 'tasks',
      declaredRelatedKey: 'tasks',
      twoWay: false,
    });
  });

  it('refuses a relation to an undeclared database, a missing primary key, a sync of an undeclared database', () => {
    const worker = new Worker();
    const db = worker.database('tasks', {
      type: 'managed',
      initialTitle: 'Tasks',
      primaryKeyProperty: 'Key' as string, // the SDK's types catch this; a .js worker does not
      schema: { properties: { Name: Schema.title(), Owner: Schema.relation('people') } },
    });
    worker.sync('tasksSync', { database: db, execute: noop });
    const manifest = worker.manifest;
    const message = problemsOf(() =>
      readWorkerManifest(
        {
          ...manifest,
          capabilities: [
            ...manifest.capabilities,
            { _tag: 'sync', key: 'ghost', config: { databaseKey: 'nowhere', primaryKeyProperty: 'Key' } },
          ],
        },
        'tasks.ts',
      ),
    );
    expect(message).toContain('The manifest of tasks.ts has 3 problem(s)');
    expect(message).toContain('property "Owner": relation to "people"');
    expect(message).toContain(
      'primary key property "Key" is not in its schema (properties: "Name", "Owner")',
    );
    expect(message).toContain('sync "ghost": database "nowhere" is not declared (databases: "tasks")');
  });

  it('refuses a primary key of a type Notion cannot filter by equality, and a schema without exactly one title', () => {
    const worker = new Worker();
    worker.database('a', {
      type: 'managed',
      initialTitle: 'A',
      primaryKeyProperty: 'Done',
      schema: { properties: { Done: Schema.checkbox() } },
    });
    const message = problemsOf(() => readWorkerManifest(worker.manifest));
    expect(message).toContain('primary key property "Done" has type "checkbox"');
    expect(message).toContain('declares 0');
  });

  it('refuses a malformed manifest with the path of each problem', () => {
    const message = problemsOf(() =>
      readWorkerManifest({
        databases: [
          {
            key: 'x',
            config: {
              type: 'managed',
              initialTitle: 'X',
              primaryKeyProperty: 'N',
              schema: { properties: { N: { type: 'formula' } } },
            },
          },
        ],
      }),
    );
    expect(message).toContain('databases.0.config.schema.properties.N.type');
  });

  it('warns about declarations the public API cannot apply (date formats, sub-items)', () => {
    const worker = new Worker();
    worker.database('tasks', {
      type: 'managed',
      initialTitle: 'Tasks',
      primaryKeyProperty: 'Name',
      schema: {
        properties: {
          Name: Schema.title(),
          Due: Schema.date('ll'),
          Parent: Schema.relation('tasks', { twoWay: true, relatedPropertyName: 'Children' }),
        },
        subItems: { parentPropertyName: 'Parent', childPropertyName: 'Children' },
      },
    });
    const d = readWorkerManifest(worker.manifest);
    expect(d.warnings).toEqual([
      'database "tasks", property "Due": date format "ll" is a display setting the API cannot set',
      'database "tasks": sub-items cannot be turned on through the API; the relations "Parent" and "Children" are synced, turn sub-items on in Notion',
    ]);
    expect(d.databases[0]?.subItems).toEqual({ parentPropertyName: 'Parent', childPropertyName: 'Children' });
  });

  it('lists capabilities it does not run instead of failing on them', () => {
    const { worker, tasks } = taskWorker();
    worker.sync('tasksSync', { database: tasks, execute: noop });
    worker.tool('hello', {
      title: 'Hello',
      description: 'Says hello',
      schema: j.object({ name: j.string() }),
      execute: () => 'hi',
    });
    const d = readWorkerManifest(worker.manifest);
    expect(d.ignoredCapabilities).toEqual([
      { key: 'hello', tag: 'tool', reason: 'notion-sync runs sync capabilities only, not "tool"' },
    ]);
    expect(() => getWorkerSync(d, 'hello')).toThrow(/Capability "hello" cannot be run by notion-sync/);
  });
});

describe(getWorkerSync, () => {
  it('lists the known sync keys for an unknown one', () => {
    const { worker, tasks } = taskWorker();
    worker.sync('tasksSync', { database: tasks, execute: noop });
    worker.sync('tasksDelta', { database: tasks, mode: 'incremental', execute: noop });
    const d = readWorkerManifest(worker.manifest);
    expect(getWorkerSync(d, 'tasksDelta').mode).toBe('incremental');
    expect(() => getWorkerSync(d, 'nope')).toThrow(
      'Unknown sync "nope". Known syncs: "tasksSync", "tasksDelta"',
    );
    expect(() => getWorkerDatabase(d, 'nope')).toThrow('Unknown database "nope". Known databases: "tasks"');
  });
});
