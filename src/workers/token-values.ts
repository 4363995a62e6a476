import { API_COLORS } from '../notion/colors.js';
import { splitText as splitToLimit } from '../notion/split-text.js';
import type { UpdatePageParameters } from '@notionhq/client';
import type { Cover, DateValue, Icon, PlaceValue } from '@notionhq/workers/types';
import { InvalidValueError } from '../errors.js';
import {
  MAX_ARRAY_ITEMS,
  MAX_EMAIL_CHARS,
  MAX_MULTI_SELECT_ITEMS,
  MAX_PEOPLE_ITEMS,
  MAX_PHONE_CHARS,
  MAX_RELATION_ITEMS,
  MAX_TEXT_ITEM_CHARS,
  MAX_URL_CHARS,
} from '../notion/limits.js';
import type { WorkerDatabase, WorkerPropertySchema } from './worker-manifest.js';

/** One property value as `pages.create` / `pages.update` accept it. */
export type NotionPropertyWriteValue = NonNullable<UpdatePageParameters['properties']>[string];

/** A rich text item as Notion accepts it in a write. */
export type NotionRichTextRequest = Extract<NotionPropertyWriteValue, { title: unknown }>['title'][number];

type DateRequest = NonNullable<Extract<NotionPropertyWriteValue, { date: unknown }>['date']>;

/** Looks a workspace user up by email; resolves to the user id, or `undefined` when no user has that email. */
export type UserIdResolver = (email: string) => Promise<string | undefined>;

/**
 * Looks the page of a related row up by its primary key in the related database (through the key map);
 * resolves to the page id, or `undefined` when that row has not been written yet.
 */
export type RelatedPageResolver = (
  relatedDatabaseKey: string,
  primaryKey: string,
) => Promise<string | undefined>;

/** The resolvers the conversion of `people` and `relation` values needs. */
export interface TokenResolvers {
  readonly resolveUserId: UserIdResolver;
  readonly resolveRelatedPage: RelatedPageResolver;
}

/** A relation property with links to rows that have no page yet. Its written value holds the resolved links only. */
export interface UnresolvedRelation {
  readonly property: string;
  readonly relatedDatabaseKey: string;
  /** Every primary key of the relation, in the worker's order: the full value to write once all resolve. */
  readonly primaryKeys: readonly string[];
  /** The primary keys that did not resolve. */
  readonly unresolvedKeys: readonly string[];
}

/** The result of converting one change's properties. */
export interface ConvertedProperties {
  /** Property name → Notion write value. Properties the change left out are absent (left unchanged). */
  readonly properties: Readonly<Record<string, NotionPropertyWriteValue>>;
  /** Relation links to complete later; empty when every link resolved. */
  readonly unresolvedRelations: readonly UnresolvedRelation[];
}

/** Notion's internal annotation codes in the SDK's text tokens → API annotations. */
const ANNOTATION_FLAGS = { b: 'bold', i: 'italic', s: 'strikethrough', c: 'code', _: 'underline' } as const;
/** Notion's internal colour names differ from the API's in one place: `teal` is the API's `green`. */
const INTERNAL_COLOURS: Readonly<Record<string, string>> = {
  teal: 'green',
  teal_background: 'green_background',
};
const API_COLOURS: ReadonlySet<string> = new Set(API_COLORS);
/** The placeholder character of an inline mention token (`‣`). */
const MENTION_CHAR = '\u2023';

type Fail = (expected: string) => never;

function failer(property: string, schema: WorkerPropertySchema): Fail {
  return (message) => {
    throw new InvalidValueError(property, schema.type, message, {
      hint: `Build the value of "${property}" with the @notionhq/workers Builder helper for a ${schema.type} property.`,
    });
  };
}

/** A text value: an array of `[text, annotations?]` tuples. */
function isTextValue(value: unknown): value is [string, ...unknown[]][] {
  return Array.isArray(value) && value.every((t) => Array.isArray(t) && typeof t[0] === 'string');
}

function annotationsOf(token: readonly unknown[], fail: Fail): readonly (readonly unknown[])[] {
  const raw = token[1];
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every((a) => Array.isArray(a) && typeof a[0] === 'string')) {
    return fail(`the formatting of text token ${JSON.stringify(token)} is not a list of [code, value] pairs`);
  }
  return raw as (readonly unknown[])[];
}

/** The link URL of a token (`[["a", url]]`), if any. */
function linkOf(token: readonly unknown[], fail: Fail): string | undefined {
  const link = annotationsOf(token, fail).find((a) => a[0] === 'a');
  if (link === undefined) return undefined;
  if (typeof link[1] !== 'string' || link[1] === '') return fail('a link annotation ("a") without a URL');
  return link[1];
}

/** Plain text of a text value: its segments concatenated (mentions contribute their placeholder). */
export function plainTextOfTokens(value: unknown): string | undefined {
  if (!isTextValue(value)) return undefined;
  return value.map((t) => t[0]).join('');
}

/** Text split to Notion's per-item limit; an empty text stays one empty piece. */
function splitText(text: string): string[] {
  const pieces = splitToLimit(text, MAX_TEXT_ITEM_CHARS);
  return pieces.length === 0 ? [''] : pieces;
}

function dateRequestOf(date: unknown, fail: Fail): DateRequest {
  const d = date as Partial<Record<string, unknown>> | null;
  const str = (k: string): string | undefined => (typeof d?.[k] === 'string' ? (d[k] as string) : undefined);
  const startDate = str('start_date');
  if (d === null || typeof d !== 'object' || startDate === undefined) {
    return fail(`a date token without start_date: ${JSON.stringify(date)}`);
  }
  const tz = str('time_zone');
  // With a time zone Notion wants a local time without offset; without one, the SDK's times are UTC (the
  // builders drop any offset), so say so explicitly.
  const at = (day: string, time: string | undefined): string =>
    time === undefined ? day : `${day}T${time}:00${tz ? '' : 'Z'}`;
  const type = d.type as DateValue['type'] | undefined;
  switch (type) {
    case 'date':
      return { start: startDate };
    case 'datetime':
      if (str('start_time') === undefined) return fail('a datetime token without start_time');
      return { start: at(startDate, str('start_time')), ...(tz ? { time_zone: tz } : {}) };
    case 'daterange':
      if (str('end_date') === undefined) return fail('a daterange token without end_date');
      return { start: startDate, end: str('end_date') as string };
    case 'datetimerange':
      if (str('start_time') === undefined || str('end_date') === undefined || str('end_time') === undefined) {
        return fail('a datetimerange token needs start_time, end_date and end_time');
      }
      return {
        start: at(startDate, str('start_time')),
        end: at(str('end_date') as string, str('end_time')),
        ...(tz ? { time_zone: tz } : {}),
      };
    default:
      return fail(`a date token of unknown type ${JSON.stringify(type)}`);
  }
}

/** The date inside a mention token `["‣", [["d", {...}]]]`, if the token is one. */
function mentionDateOf(token: readonly unknown[], fail: Fail): DateRequest | undefined {
  if (token[0] !== MENTION_CHAR) return undefined;
  const date = annotationsOf(token, fail).find((a) => a[0] === 'd');
  if (date === undefined) return fail(`a mention token that is not a date: ${JSON.stringify(token)}`);
  return dateRequestOf(date[1], fail);
}

/** Converts a text value to Notion rich text: links, bold/italic/strike/code/underline, colours, date mentions. */
function richTextOf(value: [string, ...unknown[]][], fail: Fail): NotionRichTextRequest[] {
  const items: NotionRichTextRequest[] = [];
  for (const token of value) {
    const date = mentionDateOf(token, fail);
    if (date !== undefined) {
      items.push({ type: 'mention', mention: { date } });
      continue;
    }
    const annotations: Record<string, boolean | string> = {};
    let url: string | undefined;
    for (const a of annotationsOf(token, fail)) {
      const code = a[0] as string;
      if (code === 'a') url = linkOf(token, fail);
      else if (code in ANNOTATION_FLAGS)
        annotations[ANNOTATION_FLAGS[code as keyof typeof ANNOTATION_FLAGS]] = true;
      else if (code === 'h' && typeof a[1] === 'string') {
        const colour = INTERNAL_COLOURS[a[1]] ?? a[1];
        if (!API_COLOURS.has(colour))
          return fail(`the text colour "${a[1]}" is not one Notion's API accepts`);
        annotations.color = colour;
      } else return fail(`the text annotation ${JSON.stringify(a)} is not supported`);
    }
    if (url !== undefined && url.length > MAX_URL_CHARS) {
      return fail(`a link URL of ${url.length} characters exceeds Notion's limit of ${MAX_URL_CHARS}`);
    }
    for (const content of token[0] === '' ? [] : splitText(token[0])) {
      items.push({
        type: 'text',
        text: url === undefined ? { content } : { content, link: { url } },
        ...(Object.keys(annotations).length ? { annotations } : {}),
      } as NotionRichTextRequest);
    }
  }
  if (items.length > MAX_ARRAY_ITEMS) {
    return fail(
      `the text needs ${items.length} rich text items, more than Notion's ${MAX_ARRAY_ITEMS} per value; shorten it`,
    );
  }
  return items;
}

/** The single string of a one-segment text value (`[["s"]]`), `undefined` for an empty value (`[]`). */
function singleString(value: [string, ...unknown[]][]): string | undefined {
  const text = value.map((t) => t[0]).join('');
  return text === '' ? undefined : text;
}

function boundedString(text: string | undefined, max: number, fail: Fail): string | null {
  if (text === undefined) return null;
  if (text.length > max)
    return fail(`"${text.slice(0, 40)}…" has ${text.length} characters; Notion allows ${max}`);
  return text;
}

function optionName(name: string, fail: Fail): { name: string } {
  if (name.includes(','))
    return fail(`option "${name}" contains a comma, which Notion does not allow in option names`);
  return { name };
}

function isPlaceValue(value: unknown): value is PlaceValue {
  const v = value as Partial<PlaceValue> | null;
  return typeof v === 'object' && v !== null && typeof v.lat === 'number' && typeof v.lon === 'number';
}

function isEmptyValue(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * Converts one SDK value to its Notion write value, for every type except `people` and `relation`, which need
 * lookups ({@link tokensToPropertyValues} does those). An empty value (`[]`) becomes Notion's clear value.
 *
 * @throws InvalidValueError naming the property, its type and what was expected.
 */
export function tokenToPropertyValue(
  property: string,
  schema: WorkerPropertySchema,
  value: unknown,
): NotionPropertyWriteValue {
  const fail = failer(property, schema);
  const expectText = (): [string, ...unknown[]][] =>
    isTextValue(value) ? value : fail(`expected a text value like [["…"]], got ${JSON.stringify(value)}`);
  switch (schema.type) {
    case 'title':
      return { title: richTextOf(expectText(), fail) };
    case 'text':
      return { rich_text: richTextOf(expectText(), fail) };
    case 'url': {
      const tokens = expectText();
      // A link token on a url property means its URL (Builder.link("docs", url)).
      const linked = tokens.length === 1 && tokens[0] ? linkOf(tokens[0], fail) : undefined;
      return { url: boundedString(linked ?? singleString(tokens), MAX_URL_CHARS, fail) };
    }
    case 'email':
      return { email: boundedString(singleString(expectText()), MAX_EMAIL_CHARS, fail) };
    case 'phone_number':
      return { phone_number: boundedString(singleString(expectText()), MAX_PHONE_CHARS, fail) };
    case 'checkbox': {
      const text = singleString(expectText());
      if (text === undefined || text === 'No') return { checkbox: false };
      if (text === 'Yes') return { checkbox: true };
      return fail(`expected [["Yes"]] or [["No"]] (Builder.checkbox), got ${JSON.stringify(text)}`);
    }
    case 'number': {
      const text = singleString(expectText());
      if (text === undefined) return { number: null };
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) return fail(`"${text}" is not a finite number`);
      return { number: n };
    }
    case 'select':
    case 'status': {
      const text = singleString(expectText());
      const option = text === undefined ? null : optionName(text, fail);
      return schema.type === 'select' ? { select: option } : { status: option };
    }
    case 'multi_select': {
      const text = singleString(expectText());
      const names = text === undefined ? [] : text.split(',').filter((n) => n !== '');
      if (names.length > MAX_MULTI_SELECT_ITEMS) {
        return fail(`${names.length} options exceed Notion's ${MAX_MULTI_SELECT_ITEMS} per value`);
      }
      return { multi_select: names.map((name) => ({ name })) };
    }
    case 'date': {
      const tokens = expectText();
      if (tokens.length === 0) return { date: null };
      const date = tokens.length === 1 && tokens[0] ? mentionDateOf(tokens[0], fail) : undefined;
      if (date === undefined)
        return fail(`expected a date token from Builder.date/dateTime/dateRange/dateTimeRange`);
      return { date };
    }
    case 'file': {
      const files = expectText().map((token) => {
        const url = linkOf(token, fail);
        if (url === undefined) return fail(`file "${token[0]}" has no URL; use Builder.file(url, name?)`);
        if (url.length > MAX_URL_CHARS)
          return fail(`a file URL of ${url.length} characters exceeds ${MAX_URL_CHARS}`);
        return { name: token[0] || url, external: { url } };
      });
      return { files };
    }
    case 'place': {
      if (isEmptyValue(value)) return { place: null };
      if (!isPlaceValue(value))
        return fail(`expected a place {lat, lon, ...} (Builder.place), got ${JSON.stringify(value)}`);
      return {
        place: {
          lat: value.lat,
          lon: value.lon,
          ...(value.name !== undefined ? { name: value.name } : {}),
          ...(value.address !== undefined ? { address: value.address } : {}),
          ...(value.googlePlaceId !== undefined ? { google_place_id: value.googlePlaceId } : {}),
        },
      };
    }
    case 'people':
    case 'relation':
      return fail(`a ${schema.type} value needs a lookup: convert it with tokensToPropertyValues`);
  }
}

function emailsOf(property: string, schema: WorkerPropertySchema, value: unknown): string[] {
  const fail = failer(property, schema);
  if (isEmptyValue(value)) return [];
  if (!Array.isArray(value) || !value.every((p) => typeof (p as { email?: unknown })?.email === 'string')) {
    return fail(`expected people [{email}] (Builder.people), got ${JSON.stringify(value)}`);
  }
  if (value.length > MAX_PEOPLE_ITEMS)
    return fail(`${value.length} people exceed Notion's ${MAX_PEOPLE_ITEMS}`);
  return value.map((p) => (p as { email: string }).email);
}

function relationKeysOf(property: string, schema: WorkerPropertySchema, value: unknown): string[] {
  const fail = failer(property, schema);
  if (isEmptyValue(value)) return [];
  const isRef = (r: unknown): boolean =>
    (r as { type?: unknown })?.type === 'primaryKey' && typeof (r as { value?: unknown }).value === 'string';
  if (!Array.isArray(value) || !value.every(isRef)) {
    return fail(`expected [Builder.relation(primaryKey), ...], got ${JSON.stringify(value)}`);
  }
  if (value.length > MAX_RELATION_ITEMS)
    return fail(`${value.length} links exceed Notion's ${MAX_RELATION_ITEMS}`);
  return value.map((r) => (r as { value: string }).value);
}

/**
 * Converts the `properties` of one upsert into Notion write values, looking people up by email and related rows
 * by primary key. Properties the change leaves out stay out (Notion leaves them unchanged); `[]` clears.
 *
 * @param database The change's target database, whose schema types each property.
 * @throws InvalidValueError for a property not in the schema, a value of the wrong shape, or an email that
 *   belongs to no user of the workspace. An unresolved relation link is not an error: see `unresolvedRelations`.
 */
export async function tokensToPropertyValues(
  database: WorkerDatabase,
  values: Readonly<Record<string, unknown>>,
  resolvers: TokenResolvers,
): Promise<ConvertedProperties> {
  const properties: Record<string, NotionPropertyWriteValue> = {};
  const unresolvedRelations: UnresolvedRelation[] = [];
  for (const [property, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const schema = database.properties[property];
    if (schema === undefined) {
      throw new InvalidValueError(
        property,
        'undeclared',
        `database "${database.key}" declares no such property (it has ${Object.keys(database.properties)
          .map((p) => `"${p}"`)
          .join(', ')})`,
        { hint: 'Add the property to the worker database schema, or leave it out of the change.' },
      );
    }
    if (schema.type === 'people') {
      const ids: { id: string }[] = [];
      for (const email of emailsOf(property, schema, value)) {
        const id = await resolvers.resolveUserId(email);
        if (id === undefined) {
          throw new InvalidValueError(
            property,
            'people',
            `no user of the workspace has the email "${email}"`,
            {
              hint: 'Invite that person to the workspace, or leave them out of the value.',
            },
          );
        }
        ids.push({ id });
      }
      properties[property] = { people: ids };
    } else if (schema.type === 'relation') {
      const keys = relationKeysOf(property, schema, value);
      const resolved: { id: string }[] = [];
      const unresolvedKeys: string[] = [];
      for (const key of keys) {
        const id = await resolvers.resolveRelatedPage(schema.relatedDatabaseKey, key);
        if (id === undefined) unresolvedKeys.push(key);
        else resolved.push({ id });
      }
      properties[property] = { relation: resolved };
      if (unresolvedKeys.length) {
        unresolvedRelations.push({
          property,
          relatedDatabaseKey: schema.relatedDatabaseKey,
          primaryKeys: keys,
          unresolvedKeys,
        });
      }
    } else {
      properties[property] = tokenToPropertyValue(property, schema, value);
    }
  }
  return { properties, unresolvedRelations };
}

/** A page or database icon as Notion accepts it in a write. */
export type NotionIconRequest = NonNullable<UpdatePageParameters['icon']>;
/** A page cover as Notion accepts it in a write. */
export type NotionCoverRequest = NonNullable<UpdatePageParameters['cover']>;

/** The SDK's icon (`Builder.emojiIcon`, `notionIcon`, `imageIcon`) → Notion's icon request. */
export function iconRequestOf(icon: Icon): NotionIconRequest {
  switch (icon.type) {
    case 'emoji':
      return { type: 'emoji', emoji: icon.value as Extract<NotionIconRequest, { emoji: unknown }>['emoji'] };
    case 'image':
      return { type: 'external', external: { url: icon.url } };
    case 'notion':
      return {
        type: 'icon',
        icon: { name: icon.icon, color: icon.color } as Extract<NotionIconRequest, { icon: unknown }>['icon'],
      };
  }
}

/**
 * The SDK's cover (`Builder.imageCover`) → Notion's cover request. Notion's API has no cover position, so the
 * SDK's `position` is not applied.
 */
export function coverRequestOf(cover: Cover): NotionCoverRequest {
  return { type: 'external', external: { url: cover.url } };
}
