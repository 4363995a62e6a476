/**
 * Property schemas of the demo databases, as `initial_data_source.properties` / data source update
 * requests. Together they use every property type the API can create.
 */
import { SELECT_COLORS } from '../../notion/colors.js';

type Schema = Record<string, Record<string, unknown>>;

function options(names: readonly string[]): { options: { name: string; color: string }[] } {
  return {
    options: names.map((name, i) => ({
      name,
      color: SELECT_COLORS[(i + 1) % SELECT_COLORS.length] ?? 'default',
    })),
  };
}

export const CONTACT_TIERS = ['Gold', 'Silver', 'Bronze'] as const;
export const PROJECT_PHASES = ['Discovery', 'Build', 'Launch', 'Maintenance'] as const;
export const PROJECT_LABELS = ['Internal', 'Client', 'R&D', 'Marketing', 'Infra'] as const;
export const PROJECT_STATUSES = ['Not started', 'Planning', 'In progress', 'Blocked', 'Done'] as const;
export const TASK_PRIORITIES = ['High', 'Medium', 'Low'] as const;
export const TASK_TAGS = ['bug', 'feature', 'docs', 'ops', 'design'] as const;
export const TASK_STATUSES = ['To do', 'Doing', 'Done'] as const;

/** The created/edited properties Notion fills in. */
function timestampProperties(): Schema {
  return {
    Created: { created_time: {} },
    'Created by': { created_by: {} },
    'Last edited': { last_edited_time: {} },
    'Last edited by': { last_edited_by: {} },
  };
}

/** Contacts: the target of Tasks' one-way relation. */
export function contactsSchema(): Schema {
  return {
    Name: { title: {} },
    Email: { email: {} },
    Phone: { phone_number: {} },
    Website: { url: {} },
    Company: { rich_text: {} },
    Photo: { files: {} },
    Account: { people: {} },
    Tier: { select: options(CONTACT_TIERS) },
  };
}

/** Contacts' optional `Location` (place), added separately because not every server accepts it. */
export function contactsPlaceSchema(): Schema {
  return { Location: { place: {} } };
}

/** Projects, without the relation and rollups that need Tasks to exist. */
export function projectsSchema(): Schema {
  return {
    Name: { title: {} },
    Summary: { rich_text: {} },
    Budget: { number: { format: 'dollar' } },
    Progress: { number: { format: 'percent' } },
    Phase: { select: options(PROJECT_PHASES) },
    Labels: { multi_select: options(PROJECT_LABELS) },
    Status: { status: options(PROJECT_STATUSES) },
    Timeline: { date: {} },
    Lead: { people: {} },
    Brief: { files: {} },
    Active: { checkbox: {} },
    Homepage: { url: {} },
    'Contact email': { email: {} },
    Hotline: { phone_number: {} },
    'Budget (k)': { formula: { expression: 'prop("Budget") / 1000' } },
    Code: { unique_id: { prefix: 'PRJ' } },
    ...timestampProperties(),
  };
}

/** Tasks: a two-way relation to Projects (synced as `Tasks`) and a one-way relation to Contacts. */
export function tasksSchema(projectsDataSourceId: string, contactsDataSourceId: string): Schema {
  return {
    Name: { title: {} },
    Notes: { rich_text: {} },
    Estimate: { number: { format: 'number_with_commas' } },
    Priority: { select: options(TASK_PRIORITIES) },
    Tags: { multi_select: options(TASK_TAGS) },
    Status: { status: options(TASK_STATUSES) },
    Due: { date: {} },
    Assignees: { people: {} },
    Attachments: { files: {} },
    Done: { checkbox: {} },
    Link: { url: {} },
    Reporter: { email: {} },
    Phone: { phone_number: {} },
    Project: {
      relation: {
        data_source_id: projectsDataSourceId,
        type: 'dual_property',
        dual_property: { synced_property_name: 'Tasks' },
      },
    },
    Contacts: {
      relation: { data_source_id: contactsDataSourceId, type: 'single_property', single_property: {} },
    },
    'Double estimate': { formula: { expression: 'prop("Estimate") * 2' } },
    Label: { formula: { expression: '"Task: " + prop("Name")' } },
    Key: { unique_id: { prefix: 'TASK' } },
    ...timestampProperties(),
  };
}

/** Rollups on Projects over the synced relation (named as the server reports it). */
export function projectsRollupSchema(tasksRelationName: string): Schema {
  return {
    'Task count': {
      rollup: { function: 'count', relation_property_name: tasksRelationName, rollup_property_name: 'Name' },
    },
    'Total estimate': {
      rollup: {
        function: 'sum',
        relation_property_name: tasksRelationName,
        rollup_property_name: 'Estimate',
      },
    },
  };
}

/** Rollups on Tasks: a number over the two-way relation, an array over the one-way one. */
export function tasksRollupSchema(): Schema {
  return {
    'Project budget': {
      rollup: { function: 'sum', relation_property_name: 'Project', rollup_property_name: 'Budget' },
    },
    'Contact emails': {
      rollup: {
        function: 'show_original',
        relation_property_name: 'Contacts',
        rollup_property_name: 'Email',
      },
    },
  };
}
