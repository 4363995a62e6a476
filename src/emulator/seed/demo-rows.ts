/**
 * Deterministic row values for the demo databases, in the page-create property format. Values vary by
 * row index (no randomness) and leave some cells empty, so every type shows both states.
 */
import { plain, text } from './demo-rich-text.js';
import {
  CONTACT_TIERS,
  PROJECT_LABELS,
  PROJECT_PHASES,
  PROJECT_STATUSES,
  TASK_PRIORITIES,
  TASK_STATUSES,
  TASK_TAGS,
} from './demo-schemas.js';

type Properties = Record<string, unknown>;

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald'] as const;
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov'] as const;
/** Contacts: every first name with every last name. */
export const CONTACT_COUNT = FIRST_NAMES.length * LAST_NAMES.length;

export const PROJECT_NAMES = [
  'Apollo',
  'Borealis',
  'Cascade',
  'Delta',
  'Ember',
  'Fjord',
  'Granite',
  'Harbor',
] as const;

/** Tasks; the first `TASKS_OF_FIRST_PROJECT` all belong to the first project (more than 25 relations). */
export const TASK_COUNT = 40;
export const TASKS_OF_FIRST_PROJECT = 30;

const TASK_VERBS = ['Design', 'Build', 'Review', 'Test', 'Ship', 'Document', 'Plan', 'Fix'] as const;
const TASK_OBJECTS = ['login', 'sync loop', 'schema diff', 'backoff', 'cursor store'] as const;

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}

function orNull<T>(keep: boolean, value: T): T | null {
  return keep ? value : null;
}

function people(userIds: readonly string[], index: number, count: number): { id: string }[] {
  if (userIds.length === 0) return [];
  return Array.from({ length: Math.min(count, userIds.length) }, (_, k) => ({
    id: pick(userIds, index + k),
  }));
}

function externalFile(name: string): { name: string; external: { url: string } } {
  return { name, external: { url: `https://example.com/files/${encodeURIComponent(name)}` } };
}

/** Name of contact `index`. */
export function contactName(index: number): string {
  return `${pick(FIRST_NAMES, index)} ${pick(LAST_NAMES, Math.floor(index / FIRST_NAMES.length))}`;
}

/** Properties of contact `index`. */
export function contactProperties(index: number, userIds: readonly string[]): Properties {
  const name = contactName(index);
  const slug = name.toLowerCase().replace(' ', '.');
  return {
    Name: { title: plain(name) },
    Email: { email: orNull(index % 7 !== 6, `${slug}@example.com`) },
    Phone: { phone_number: orNull(index % 5 !== 4, `+1 555 01${String(index).padStart(2, '0')}`) },
    Website: { url: orNull(index % 3 === 0, `https://example.com/${slug}`) },
    Company: { rich_text: [text(`${pick(LAST_NAMES, index)} `, { bold: true }), text('& Co.')] },
    Photo: { files: index % 4 === 0 ? [externalFile(`${slug}.png`)] : [] },
    Account: { people: index % 2 === 0 ? people(userIds, index, 1) : [] },
    Tier: { select: index % 6 === 5 ? null : { name: pick(CONTACT_TIERS, index) } },
  };
}

/** Place value of contact `index`, or undefined for contacts without one. */
export function contactPlace(index: number): Properties | undefined {
  if (index % 5 !== 0) return undefined;
  return {
    Location: { place: { lat: 48.85 + index / 100, lon: 2.35 + index / 100, name: `Office ${index}` } },
  };
}

const BUDGETS = [120_000, 45_000.5, 0, null, 98_000, 15_000, 250_000, 7_000] as const;
const PROGRESS = [0.25, 1, 0, 0.5, null, 0.75, 0.1, 0.9] as const;

function projectTimeline(index: number): Properties | null {
  const month = String((index % 9) + 1).padStart(2, '0');
  switch (index % 4) {
    case 0:
      return { start: `2025-${month}-01`, end: `2025-${month}-28` };
    case 1:
      return { start: `2025-${month}-15` };
    case 2:
      return index === 6
        ? null
        : { start: `2025-${month}-03T09:00:00.000+02:00`, end: `2025-${month}-05T17:30:00.000+02:00` };
    default:
      return { start: `2025-${month}-20T08:00:00.000Z` };
  }
}

/** Properties of project `index`. */
export function projectProperties(index: number, userIds: readonly string[]): Properties {
  const name = pick(PROJECT_NAMES, index);
  const labels = PROJECT_LABELS.filter((_, k) => (index + k) % 3 === 0);
  return {
    Name: { title: plain(name) },
    Summary: {
      rich_text: [
        text(`${name} `, { bold: true }),
        text('is a '),
        text('demo', { italic: true, color: 'blue' }),
        text(' project.'),
      ],
    },
    Budget: { number: BUDGETS[index % BUDGETS.length] ?? null },
    Progress: { number: PROGRESS[index % PROGRESS.length] ?? null },
    Phase: { select: index === 3 ? null : { name: pick(PROJECT_PHASES, index) } },
    Labels: { multi_select: labels.map((label) => ({ name: label })) },
    Status: { status: { name: pick(PROJECT_STATUSES, index) } },
    Timeline: { date: projectTimeline(index) },
    Lead: { people: people(userIds, index, 1 + (index % 2)) },
    Brief: {
      files:
        index % 3 === 1
          ? []
          : [externalFile(`${name} brief.pdf`), externalFile(`${name} plan.xlsx`)].slice(0, 1 + (index % 2)),
    },
    Active: { checkbox: index % 2 === 0 },
    Homepage: { url: orNull(index % 4 !== 3, `https://example.com/projects/${name.toLowerCase()}`) },
    'Contact email': { email: orNull(index !== 5, `${name.toLowerCase()}@example.com`) },
    Hotline: { phone_number: orNull(index % 3 === 0, `+44 20 7946 0${String(index).padStart(3, '0')}`) },
  };
}

function taskDue(index: number): Properties | null {
  const day = String((index % 27) + 1).padStart(2, '0');
  switch (index % 6) {
    case 0:
      return { start: `2025-06-${day}` };
    case 1:
      return { start: `2025-06-${day}T14:30:00.000Z` };
    case 2:
      return { start: `2025-07-${day}T09:15:00.000-05:00` };
    case 3:
      return { start: `2025-06-${day}`, end: `2025-07-${day}` };
    case 4:
      return { start: `2025-08-${day}T10:00:00.000Z`, end: `2025-08-${day}T12:00:00.000Z` };
    default:
      return null;
  }
}

/** Name of task `index`. */
export function taskName(index: number): string {
  return `${pick(TASK_VERBS, index)} ${pick(TASK_OBJECTS, Math.floor(index / TASK_VERBS.length))}`;
}

/** Index of the project task `index` belongs to, or undefined (the last task has none). */
export function taskProjectIndex(index: number): number | undefined {
  if (index < TASKS_OF_FIRST_PROJECT) return 0;
  if (index === TASK_COUNT - 1) return undefined;
  return 1 + ((index - TASKS_OF_FIRST_PROJECT) % (PROJECT_NAMES.length - 1));
}

/** Indexes of the contacts task `index` relates to: all of them for task 0 (more than 25), else 0–2. */
export function taskContactIndexes(index: number): number[] {
  if (index === 0) return Array.from({ length: CONTACT_COUNT }, (_, k) => k);
  return Array.from({ length: index % 3 }, (_, k) => (index * 7 + k) % CONTACT_COUNT);
}

/** Properties of task `index`, relations included. */
export function taskProperties(
  index: number,
  userIds: readonly string[],
  projectIds: readonly string[],
  contactIds: readonly string[],
): Properties {
  const name = taskName(index);
  const status = pick(TASK_STATUSES, index);
  const projectIndex = taskProjectIndex(index);
  const projectId = projectIndex === undefined ? undefined : projectIds[projectIndex];
  return {
    Name: { title: plain(`${name} #${index + 1}`) },
    Notes: {
      rich_text:
        index % 4 === 3
          ? []
          : [
              text('See '),
              text('the spec', { underline: true }, 'https://example.com/spec'),
              text(` for ${name}.`),
            ],
    },
    Estimate: { number: index % 9 === 8 ? null : (index % 8) + (index % 2) * 0.5 },
    Priority: { select: index % 7 === 6 ? null : { name: pick(TASK_PRIORITIES, index) } },
    Tags: { multi_select: TASK_TAGS.filter((_, k) => (index >> k) % 2 === 1).map((tag) => ({ name: tag })) },
    Status: { status: { name: status } },
    Due: { date: taskDue(index) },
    Assignees: { people: index % 5 === 4 ? [] : people(userIds, index, 1 + (index % 3)) },
    Attachments: { files: index % 5 === 0 ? [externalFile(`task-${index + 1}.txt`)] : [] },
    Done: { checkbox: status === 'Done' },
    Link: { url: orNull(index % 3 !== 2, `https://example.com/tasks/${index + 1}`) },
    Reporter: { email: orNull(index % 4 !== 1, `reporter${index % 5}@example.com`) },
    Phone: { phone_number: orNull(index % 6 === 0, `+1 555 02${String(index).padStart(2, '0')}`) },
    Project: { relation: projectId === undefined ? [] : [{ id: projectId }] },
    Contacts: { relation: taskContactIndexes(index).map((k) => ({ id: contactIds[k] as string })) },
  };
}
