import {
  MAX_EMAIL_CHARS,
  MAX_MULTI_SELECT_ITEMS,
  MAX_PEOPLE_ITEMS,
  MAX_PHONE_CHARS,
  MAX_RELATION_ITEMS,
  MAX_URL_CHARS,
} from '../notion/limits.js';
import { hostedFile } from './block-drafts.js';
import { newOptionId, normalizeId } from './ids.js';
import { isObject, type JsonObject } from './json.js';
import { shouldBe, validationError } from './notion-error.js';
import { checkMax, richTextResponse, type MentionResolver } from './rich-text.js';
import { commaError, READ_ONLY_TYPES } from './schema.js';

/** What property writes need from the workspace. */
export interface ValueContext extends MentionResolver {
  /** The full user object (person or bot), or a group, for a people value; `undefined` when unknown. */
  userValue(id: string): JsonObject | undefined;
  /** True when `pageId` is a (non-trashed or trashed) row of `dataSourceId`. */
  isRowOf(pageId: string, dataSourceId: string): boolean;
  /** The bot's id (verification `verified_by`). */
  botId: string;
  /** Now, as an ISO string (verification dates). */
  nowIso: string;
}

/** The value a new row holds for a property it was not given. `status` gets its first "To-do" option. */
export function defaultValue(prop: JsonObject): unknown {
  const type = prop.type as string;
  switch (type) {
    case 'title':
    case 'rich_text':
    case 'multi_select':
    case 'people':
    case 'files':
    case 'relation':
      return [];
    case 'checkbox':
      return false;
    case 'status': {
      const cfg = prop.status as JsonObject;
      const group = (cfg.groups as JsonObject[])[0];
      const firstId = (group?.option_ids as string[] | undefined)?.[0];
      const opt =
        (cfg.options as JsonObject[]).find((o) => o.id === firstId) ?? (cfg.options as JsonObject[])[0];
      return opt ? { id: opt.id, name: opt.name, color: opt.color } : null;
    }
    case 'verification':
      return { state: 'unverified', date: null, verified_by: null };
    case 'button':
      return {};
    case 'formula':
      return { type: 'string', string: null };
    case 'rollup':
      return { type: 'number', number: null, function: (prop.rollup as JsonObject).function };
    case 'unique_id':
      return { prefix: (prop.unique_id as JsonObject).prefix ?? null, number: null };
    default:
      return null;
  }
}

function nonEmptyString(v: unknown, path: string, max: number): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') throw shouldBe(path, 'a string or `null`', v);
  if (v === '')
    throw validationError(`body failed validation: ${path}.length should be ≥ \`1\`, instead was \`0\`.`);
  checkMax(path, v.length, max);
  return v;
}

function idList(v: unknown, path: string, max: number): string[] {
  if (!Array.isArray(v)) throw shouldBe(path, 'an array', v);
  checkMax(path, v.length, max);
  const seen = new Set<string>();
  const out: string[] = [];
  v.forEach((item: unknown, i) => {
    const id = normalizeId(isObject(item) ? item.id : undefined);
    if (!id) throw shouldBe(`${path}[${i}].id`, 'a valid uuid', isObject(item) ? item.id : item);
    if (!seen.has(id)) out.push(id);
    seen.add(id);
  });
  return out;
}

function selectOption(
  v: unknown,
  path: string,
  prop: JsonObject,
  create: boolean,
): { option: JsonObject; created?: JsonObject } {
  if (!isObject(v)) throw shouldBe(path, 'an object', v);
  const type = prop.type as string;
  const opts = (prop[type] as JsonObject).options as JsonObject[];
  const found = opts.find(
    (o) => (v.id !== undefined && o.id === v.id) || (v.id === undefined && o.name === v.name),
  );
  if (found) return { option: { id: found.id, name: found.name, color: found.color } };
  if (v.id !== undefined || typeof v.name !== 'string') {
    throw validationError(
      `${String(v.id ?? v.name)} is not a valid option id or name for the ${type} property ${String(prop.name)}.`,
    );
  }
  if (!create) {
    throw validationError(
      `Invalid status option. Status option "${v.name}" does not exist for property "${String(prop.name)}".`,
    );
  }
  if (v.name.includes(',')) throw commaError(`${path}.name`, v.name);
  if (v.name === '')
    throw validationError(
      `body failed validation: ${path}.name.length should be ≥ \`1\`, instead was \`0\`.`,
    );
  const created = {
    id: newOptionId(),
    name: v.name,
    color: typeof v.color === 'string' ? v.color : 'default',
    description: null,
  };
  return { option: { id: created.id, name: created.name, color: created.color }, created };
}

function dateValue(v: unknown, path: string): JsonObject | null {
  if (v === null) return null;
  if (!isObject(v)) throw shouldBe(path, 'an object or `null`', v);
  if (typeof v.start !== 'string' || Number.isNaN(Date.parse(v.start)))
    throw shouldBe(`${path}.start`, 'an ISO 8601 date string', v.start);
  if (v.end !== undefined && v.end !== null && (typeof v.end !== 'string' || Number.isNaN(Date.parse(v.end))))
    throw shouldBe(`${path}.end`, 'an ISO 8601 date string or `null`', v.end);
  return {
    start: v.start,
    end: (v.end as string | null | undefined) ?? null,
    time_zone: (v.time_zone as string | null | undefined) ?? null,
  };
}

function filesValue(v: unknown, path: string): JsonObject[] {
  if (!Array.isArray(v)) throw shouldBe(path, 'an array', v);
  checkMax(path, v.length, 100);
  return v.map((f: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(f)) throw shouldBe(p, 'an object', f);
    const kind =
      (f.type as string | undefined) ?? (f.external ? 'external' : f.file_upload ? 'file_upload' : 'file');
    if (kind === 'external') {
      const ext = f.external;
      if (!isObject(ext) || typeof ext.url !== 'string')
        throw shouldBe(`${p}.external.url`, 'a string', isObject(ext) ? ext.url : ext);
      checkMax(`${p}.external.url`, ext.url.length, MAX_URL_CHARS);
      return {
        name: typeof f.name === 'string' ? f.name : ext.url,
        type: 'external',
        external: { url: ext.url },
      };
    }
    if (kind === 'file_upload') {
      const id = normalizeId(isObject(f.file_upload) ? f.file_upload.id : undefined);
      if (!id) throw shouldBe(`${p}.file_upload.id`, 'a valid uuid', f.file_upload);
      return { name: typeof f.name === 'string' ? f.name : 'file', type: 'file', file: hostedFile(id) };
    }
    const file = f.file;
    if (!isObject(file) || typeof file.url !== 'string')
      throw shouldBe(`${p}.file.url`, 'a string', isObject(file) ? file.url : file);
    return {
      name: typeof f.name === 'string' ? f.name : 'file',
      type: 'file',
      file: {
        url: file.url,
        expiry_time: (file.expiry_time as string | undefined) ?? '2099-01-01T00:00:00.000Z',
      },
    };
  });
}

/** The outcome of converting one property write. */
export interface WriteResult {
  /** The stored value in response form (the content of `properties[name][type]`). */
  value: unknown;
  /** Options the write created (select/multi_select), to add to the schema. */
  createdOptions?: JsonObject[];
}

/**
 * Converts one property write of `pages.create`/`pages.update` into the stored response value
 * (notion-api-facts.md §7 "Page property write formats"): read-only types are refused, unknown select
 * and multi_select options are created, unknown status options are refused, empty url/email/phone
 * strings are refused, people and relation ids are checked.
 */
export function writeValue(prop: JsonObject, raw: unknown, path: string, ctx: ValueContext): WriteResult {
  const type = prop.type as string;
  const name = prop.name as string;
  if (READ_ONLY_TYPES.has(type)) {
    throw validationError(
      `${name} is a ${type} property, which cannot be written: body failed validation: ${path}.${type} should be not present.`,
    );
  }
  let v: unknown = raw;
  if (isObject(raw)) {
    const keyType =
      (raw.type as string | undefined) ?? Object.keys(raw).find((k) => k !== 'type' && k !== 'id');
    if (keyType !== undefined && keyType !== type)
      throw validationError(`${name} is expected to be ${type}.`);
    v = raw[type];
    if (!(type in raw)) throw validationError(`${name} is expected to be ${type}.`);
  } else if (!Array.isArray(raw)) {
    throw shouldBe(path, 'an object', raw);
  }
  const p = `${path}.${type}`;
  switch (type) {
    case 'title':
    case 'rich_text':
      return { value: richTextResponse(v, p, ctx) };
    case 'number':
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
        throw shouldBe(p, 'a number or `null`', v);
      return { value: v };
    case 'checkbox':
      if (typeof v !== 'boolean') throw shouldBe(p, 'a boolean', v);
      return { value: v };
    case 'url':
      return { value: nonEmptyString(v, p, MAX_URL_CHARS) };
    case 'email':
      return { value: nonEmptyString(v, p, MAX_EMAIL_CHARS) };
    case 'phone_number':
      return { value: nonEmptyString(v, p, MAX_PHONE_CHARS) };
    case 'date':
      return { value: dateValue(v, p) };
    case 'select':
    case 'status': {
      if (v === null) return { value: type === 'status' ? defaultValue(prop) : null };
      const r = selectOption(v, p, prop, type === 'select');
      return { value: r.option, ...(r.created ? { createdOptions: [r.created] } : {}) };
    }
    case 'multi_select': {
      if (!Array.isArray(v)) throw shouldBe(p, 'an array', v);
      checkMax(p, v.length, MAX_MULTI_SELECT_ITEMS);
      const created: JsonObject[] = [];
      const seen = new Set<string>();
      const value: JsonObject[] = [];
      v.forEach((item: unknown, i) => {
        const probe = {
          ...prop,
          multi_select: {
            options: [...(((prop.multi_select as JsonObject).options as JsonObject[]) ?? []), ...created],
          },
        };
        const r = selectOption(item, `${p}[${i}]`, probe, true);
        if (r.created) created.push(r.created);
        if (!seen.has(r.option.id as string)) value.push(r.option);
        seen.add(r.option.id as string);
      });
      return { value, ...(created.length ? { createdOptions: created } : {}) };
    }
    case 'people': {
      const ids = idList(v, p, MAX_PEOPLE_ITEMS);
      return {
        value: ids.map((id, i) => {
          const user = ctx.userValue(id);
          if (!user)
            throw validationError(
              `body failed validation: ${p}[${i}].id should be the id of a user or group in this workspace, instead was \`"${id}"\`.`,
            );
          return user;
        }),
      };
    }
    case 'relation': {
      const ids = idList(v, p, MAX_RELATION_ITEMS);
      const target = (prop.relation as JsonObject).data_source_id as string;
      ids.forEach((id, i) => {
        if (!ctx.isRowOf(id, target)) {
          throw validationError(
            `body failed validation: ${p}[${i}].id should be the id of a page in the related data source ${target}, instead was \`"${id}"\`.`,
          );
        }
      });
      return { value: ids.map((id) => ({ id })) };
    }
    case 'files':
      return { value: filesValue(v, p) };
    case 'place':
    case 'location': {
      if (v === null) return { value: null };
      if (!isObject(v) || typeof v.lat !== 'number' || typeof v.lon !== 'number')
        throw shouldBe(p, 'an object with numbers `lat` and `lon`', v);
      return {
        value: {
          lat: v.lat,
          lon: v.lon,
          name: v.name ?? null,
          address: v.address ?? null,
          aws_place_id: v.aws_place_id ?? null,
          google_place_id: v.google_place_id ?? null,
        },
      };
    }
    case 'verification': {
      if (!isObject(v) || (v.state !== 'verified' && v.state !== 'unverified'))
        throw shouldBe(`${p}.state`, '`verified` or `unverified`', isObject(v) ? v.state : v);
      if (v.state === 'unverified') return { value: { state: 'unverified', date: null, verified_by: null } };
      const date =
        v.date === undefined
          ? { start: ctx.nowIso, end: null, time_zone: null }
          : dateValue(v.date, `${p}.date`);
      return { value: { state: 'verified', date, verified_by: { object: 'user', id: ctx.botId } } };
    }
    default:
      throw validationError(`${name} has type ${type}, which the emulator cannot write.`);
  }
}
