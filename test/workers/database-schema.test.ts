import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { describe, expect, it } from 'vitest';
import { DestructiveChangeError } from '../../src/errors.js';
import {
  checkAttachedSchema,
  databaseCreationOf,
  planSchemaMigration,
  type NotionProperties,
} from '../../src/workers/database-schema.js';
import {
  getWorkerDatabase,
  readWorkerManifest,
  type WorkerDatabase,
} from '../../src/workers/worker-manifest.js';

const noop = async () => ({ changes: [], hasMore: false });

/** A worker declaring every property type, read through our manifest reader. */
function declared(): { tasks: WorkerDatabase; projects: WorkerDatabase } {
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
    primaryKeyProperty: 'Task ID',
    schema: {
      databaseIcon: Builder.notionIcon('checkmark', 'green'),
      properties: {
        Name: Schema.title(),
        'Task ID': Schema.richText(),
        Link: Schema.url(),
        Mail: Schema.email(),
        Phone: Schema.phoneNumber(),
        Done: Schema.checkbox(),
        Attachments: Schema.file(),
        Cost: Schema.number('dollar'),
        Due: Schema.date(),
        Priority: Schema.select([{ name: 'High', color: 'red' }, { name: 'Low' }]),
        Tags: Schema.multiSelect([{ name: 'a', color: 'blue' }]),
        Stage: Schema.status({
          groups: [
            { name: 'To-do', options: [{ name: 'Open', color: 'gray' }] },
            { name: 'Complete', options: [{ name: 'Shipped', color: 'green' }] },
          ],
        }),
        Owner: Schema.people(),
        Where: Schema.place(),
        Project: Schema.relation('projects', { twoWay: true, relatedPropertyName: 'Tasks' }),
        Parent: Schema.relation('tasks'),
      },
    },
  });
  worker.sync('projectsSync', { database: projects, execute: noop });
  worker.sync('tasksSync', { database: tasks, execute: noop });
  const d = readWorkerManifest(worker.manifest);
  return { tasks: getWorkerDatabase(d, 'tasks'), projects: getWorkerDatabase(d, 'projects') };
}

const ids: Record<string, string> = { projects: 'ds-projects', tasks: 'ds-tasks' };

describe(databaseCreationOf, () => {
  it('maps every worker property type to Notion schema, deferring relations whose target does not exist yet', () => {
    const { tasks } = declared();
    const creation = databaseCreationOf(tasks, (key) => (key === 'projects' ? ids.projects : undefined));
    expect(creation.properties).toEqual({
      Name: { title: {} },
      'Task ID': { rich_text: {} },
      Link: { url: {} },
      Mail: { email: {} },
      Phone: { phone_number: {} },
      Done: { checkbox: {} },
      Attachments: { files: {} },
      Cost: { number: { format: 'dollar' } },
      Due: { date: {} },
      Priority: { select: { options: [{ name: 'High', color: 'red' }, { name: 'Low' }] } },
      Tags: { multi_select: { options: [{ name: 'a', color: 'blue' }] } },
      Stage: {
        status: {
          options: [
            { name: 'Open', color: 'gray' },
            { name: 'Shipped', color: 'green' },
          ],
        },
      },
      Owner: { people: {} },
      Where: { place: {} },
      Project: {
        relation: {
          data_source_id: 'ds-projects',
          type: 'dual_property',
          dual_property: { synced_property_name: 'Tasks' },
        },
      },
    });
    expect(creation.deferredRelations).toEqual(['Parent']);
    expect(creation.icon).toEqual({ type: 'icon', icon: { name: 'checkmark', color: 'green' } });
  });
});

/** What Notion would return for a data source created from `tasks` with every relation. */
function remoteOf(tasks: WorkerDatabase): Record<string, NotionProperties[string]> {
  const props = databaseCreationOf(tasks, (k) => ids[k]).properties;
  const remote: Record<string, NotionProperties[string]> = {};
  for (const [name, request] of Object.entries(props)) {
    const type = Object.keys(request).find((k) => k !== 'type' && k !== 'description') as string;
    const config = (request as Record<string, unknown>)[type] as Record<string, unknown>;
    const options = (config.options as { name: string; color?: string }[] | undefined)?.map((o, i) => ({
      id: `${name}-${i}`,
      name: o.name,
      color: o.color ?? 'default',
    }));
    remote[name] = { id: name, name, type, [type]: options ? { ...config, options } : config };
  }
  return remote;
}

describe(planSchemaMigration, () => {
  it('plans nothing when the data source already matches', () => {
    const { tasks } = declared();
    const plan = planSchemaMigration(tasks, remoteOf(tasks), { resolveDataSourceId: (k) => ids[k] });
    expect(plan.patch).toEqual({});
    expect(plan.differences).toEqual([]);
  });

  it('adds missing properties and missing options, sending existing options back', () => {
    const { tasks } = declared();
    const remote = remoteOf(tasks);
    delete remote.Mail;
    delete remote.Parent;
    remote.Priority = {
      id: 'p',
      name: 'Priority',
      type: 'select',
      select: {
        options: [
          { id: 'o1', name: 'High', color: 'red' },
          { id: 'o9', name: 'Custom', color: 'pink' },
        ],
      },
    };
    remote.Stage = {
      id: 's',
      name: 'Stage',
      type: 'status',
      status: { options: [{ id: 's1', name: 'Open', color: 'gray' }], groups: [] },
    };
    const plan = planSchemaMigration(tasks, remote, { resolveDataSourceId: (k) => ids[k] });
    expect(plan.patch).toEqual({
      Mail: { email: {} },
      Parent: { relation: { data_source_id: 'ds-tasks', type: 'single_property', single_property: {} } },
      Priority: {
        select: {
          options: [
            { id: 'o1', name: 'High', color: 'red' },
            { id: 'o9', name: 'Custom', color: 'pink' },
            { name: 'Low' },
          ],
        },
      },
      Stage: {
        status: {
          options: [
            { id: 's1', name: 'Open', color: 'gray' },
            { name: 'Shipped', color: 'green' },
          ],
        },
      },
    });
    expect(plan.differences.map((d) => d.kind).sort()).toEqual([
      'missing_options',
      'missing_options',
      'missing_property',
      'missing_property',
    ]);
  });

  it('defers a missing relation whose target does not exist yet, and renames the title to the declared name', () => {
    const { tasks } = declared();
    const remote = remoteOf(tasks);
    delete remote.Project;
    const { Name, ...rest } = remote;
    const plan = planSchemaMigration(
      tasks,
      { ...rest, Title: { ...(Name as NotionProperties[string]), name: 'Title' } },
      {
        resolveDataSourceId: (k) => (k === 'tasks' ? ids.tasks : undefined),
      },
    );
    expect(plan.deferredRelations).toEqual(['Project']);
    expect(plan.patch).toEqual({ Title: { name: 'Name' } });
  });

  it('refuses a property of another type under the same name, naming it, unless destructive changes are allowed', () => {
    const { tasks } = declared();
    const remote = { ...remoteOf(tasks), Cost: { id: 'c', name: 'Cost', type: 'rich_text', rich_text: {} } };
    const e = (() => {
      try {
        planSchemaMigration(tasks, remote, { resolveDataSourceId: (k) => ids[k] });
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(e).toBeInstanceOf(DestructiveChangeError);
    expect(e.message).toBe(
      'Migrating database "tasks" would destroy data: property "Cost" is rich_text, declared as number',
    );
    const allowed = planSchemaMigration(tasks, remote, {
      resolveDataSourceId: (k) => ids[k],
      allowDestructive: true,
    });
    expect(allowed.patch).toEqual({ Cost: { number: { format: 'dollar' } } });
  });

  it('refuses removing a property the previous schema declared; ignores properties users added', () => {
    const { tasks } = declared();
    const { Phone: _phone, ...withoutPhone } = tasks.properties;
    const next: WorkerDatabase = { ...tasks, properties: withoutPhone };
    const remote = {
      ...remoteOf(tasks),
      'User column': { id: 'u', name: 'User column', type: 'rich_text', rich_text: {} },
    };
    expect(() =>
      planSchemaMigration(next, remote, { resolveDataSourceId: (k) => ids[k], previous: tasks }),
    ).toThrow('property "Phone" (phone_number) is no longer declared');
    expect(planSchemaMigration(next, remote, { resolveDataSourceId: (k) => ids[k] }).patch).toEqual({});
    expect(
      planSchemaMigration(next, remote, {
        resolveDataSourceId: (k) => ids[k],
        previous: tasks,
        allowDestructive: true,
      }).patch,
    ).toEqual({ Phone: null });
  });
});

describe('planSchemaMigration of relation kinds', () => {
  it('makes a one-way relation two-way, but refuses making a two-way one one-way', () => {
    const { tasks } = declared();
    const remote = remoteOf(tasks);
    remote.Project = {
      id: 'r',
      name: 'Project',
      type: 'relation',
      relation: { data_source_id: 'ds-projects', type: 'single_property', single_property: {} },
    };
    const plan = planSchemaMigration(tasks, remote, { resolveDataSourceId: (k) => ids[k] });
    expect(plan.patch).toEqual({
      Project: {
        relation: {
          data_source_id: 'ds-projects',
          type: 'dual_property',
          dual_property: { synced_property_name: 'Tasks' },
        },
      },
    });
    const twoWayParent = {
      ...remoteOf(tasks),
      Parent: {
        id: 'p',
        name: 'Parent',
        type: 'relation',
        relation: {
          data_source_id: 'ds-tasks',
          type: 'dual_property',
          dual_property: { synced_property_name: 'Children' },
        },
      },
    };
    expect(() => planSchemaMigration(tasks, twoWayParent, { resolveDataSourceId: (k) => ids[k] })).toThrow(
      'relation "Parent" is dual_property:Children, declared single_property',
    );
  });
});

describe(checkAttachedSchema, () => {
  it('lists each precise mismatch of an attached database', () => {
    const { tasks } = declared();
    const remote = remoteOf(tasks);
    delete remote.Where;
    remote.Done = { id: 'd', name: 'Done', type: 'select', select: { options: [] } };
    remote.Tags = { id: 't', name: 'Tags', type: 'multi_select', multi_select: { options: [] } };
    remote.Cost = { id: 'c', name: 'Cost', type: 'number', number: { format: 'euro' } };
    remote.Project = {
      id: 'r',
      name: 'Project',
      type: 'relation',
      relation: { data_source_id: 'ds-elsewhere', type: 'single_property', single_property: {} },
    };
    expect(checkAttachedSchema(tasks, remote, (k) => ids[k]).map((m) => m.message)).toEqual([
      'property "Done" is select, declared as checkbox',
      'property "Cost" has number format euro, declared dollar',
      'property "Tags" lacks option(s) "a"',
      'property "Where" (place) is missing',
      'relation "Project" points to data source ds-elsewhere, declared ds-projects',
    ]);
    expect(checkAttachedSchema(tasks, remoteOf(tasks), (k) => ids[k])).toEqual([]);
  });
});
