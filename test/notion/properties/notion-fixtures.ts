/**
 * Test fixtures shaped exactly like the SDK's types, and a small model of what Notion answers after a
 * property write (`simulateNotionWrite`), so tests can check plain → write → response → plain.
 */
import type {
  PageObjectResponse,
  RichTextItemRequest,
  RichTextItemResponse,
} from '@notionhq/client/build/src/api-endpoints.js';
import type {
  PropertyValueResponse,
  PropertyWriteValue,
} from '../../../src/notion/properties/property-codec.js';

export const DEFAULT_ANNOTATIONS: RichTextItemResponse['annotations'] = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};

/** A text rich-text item as Notion returns it. */
export function textItem(
  content: string,
  options: { link?: string; annotations?: Partial<RichTextItemResponse['annotations']> } = {},
): RichTextItemResponse {
  const link = options.link ?? null;
  return {
    type: 'text',
    text: { content, link: link === null ? null : { url: link } },
    annotations: { ...DEFAULT_ANNOTATIONS, ...options.annotations },
    plain_text: content,
    href: link,
  };
}

/** A page mention as Notion returns it (`plain_text` is the page's current title). */
export function pageMention(id: string, title = 'Some page'): RichTextItemResponse {
  return {
    type: 'mention',
    mention: { type: 'page', page: { id } },
    annotations: { ...DEFAULT_ANNOTATIONS },
    plain_text: title,
    href: `https://www.notion.so/${id.replace(/-/g, '')}`,
  };
}

/** A user mention as Notion returns it. */
export function userMention(id: string, name = 'Ada'): RichTextItemResponse {
  return {
    type: 'mention',
    mention: { type: 'user', user: { object: 'user', id } },
    annotations: { ...DEFAULT_ANNOTATIONS },
    plain_text: `@${name}`,
    href: null,
  };
}

/** A page object around `properties`. */
export function pageWith(properties: PageObjectResponse['properties'], id = 'page-1'): PageObjectResponse {
  return {
    object: 'page',
    id,
    created_time: '2025-01-02T03:04:00.000Z',
    last_edited_time: '2025-01-02T03:05:00.000Z',
    in_trash: false,
    archived: false,
    is_archived: false,
    is_locked: false,
    url: `https://www.notion.so/${id}`,
    public_url: null,
    parent: { type: 'data_source_id', data_source_id: 'ds-1', database_id: 'db-1' },
    properties,
    icon: null,
    cover: null,
    created_by: { object: 'user', id: 'user-1' },
    last_edited_by: { object: 'user', id: 'user-1' },
  };
}

let signedUrlCounter = 0;

/** A fresh signed S3 URL, as Notion hands out on every read of a hosted file. */
export function signedUrl(name: string): string {
  signedUrlCounter += 1;
  return `https://prod-files-secure.s3.us-west-2.amazonaws.com/ws/${encodeURIComponent(name)}?X-Amz-Signature=${signedUrlCounter.toString(16)}`;
}

function responseItem(item: RichTextItemRequest): RichTextItemResponse {
  const annotations = { ...DEFAULT_ANNOTATIONS, ...item.annotations };
  if ('text' in item) {
    const link = item.text.link?.url ?? null;
    return {
      type: 'text',
      text: { content: item.text.content, link: link === null ? null : { url: link } },
      annotations,
      plain_text: item.text.content,
      href: link,
    };
  }
  if ('equation' in item) {
    return {
      type: 'equation',
      equation: { expression: item.equation.expression },
      annotations,
      plain_text: item.equation.expression,
      href: null,
    };
  }
  const m = item.mention;
  const common = { annotations, href: null };
  if ('user' in m) {
    return {
      type: 'mention',
      mention: { type: 'user', user: { object: 'user', id: m.user.id } },
      plain_text: '@User',
      ...common,
    };
  }
  if ('page' in m) {
    return {
      type: 'mention',
      mention: { type: 'page', page: { id: m.page.id } },
      plain_text: 'Untitled',
      ...common,
    };
  }
  if ('database' in m) {
    return {
      type: 'mention',
      mention: { type: 'database', database: { id: m.database.id } },
      plain_text: 'DB',
      ...common,
    };
  }
  if ('date' in m) {
    const date = { start: m.date.start, end: m.date.end ?? null, time_zone: m.date.time_zone ?? null };
    return { type: 'mention', mention: { type: 'date', date }, plain_text: m.date.start, ...common };
  }
  throw new Error(`simulateNotionWrite: mention ${JSON.stringify(m)} not modelled`);
}

/**
 * What Notion answers for a property after `write` (the subset of behaviour the codecs depend on): option
 * objects get ids and colors, users come back partial, hosted files get a new signed URL, optional fields
 * come back as null.
 */
export function simulateNotionWrite(write: PropertyWriteValue, id = 'prop'): PropertyValueResponse {
  if ('title' in write) return { id, type: 'title', title: write.title.map(responseItem) };
  if ('rich_text' in write) return { id, type: 'rich_text', rich_text: write.rich_text.map(responseItem) };
  if ('number' in write) return { id, type: 'number', number: write.number };
  if ('url' in write) return { id, type: 'url', url: write.url };
  if ('email' in write) return { id, type: 'email', email: write.email };
  if ('phone_number' in write) return { id, type: 'phone_number', phone_number: write.phone_number };
  if ('checkbox' in write) return { id, type: 'checkbox', checkbox: write.checkbox };
  const option = (o: { name?: string; id?: string } | null) =>
    o === null
      ? null
      : { id: `opt-${o.name ?? o.id}`, name: o.name ?? String(o.id), color: 'default' as const };
  if ('select' in write) return { id, type: 'select', select: option(write.select) };
  if ('status' in write) return { id, type: 'status', status: option(write.status) };
  if ('multi_select' in write) {
    return { id, type: 'multi_select', multi_select: write.multi_select.map((o) => option(o)!) };
  }
  if ('date' in write) {
    const d = write.date;
    return {
      id,
      type: 'date',
      date: d === null ? null : { start: d.start, end: d.end ?? null, time_zone: d.time_zone ?? null },
    };
  }
  if ('people' in write) {
    return {
      id,
      type: 'people',
      people: write.people.map((p) =>
        p.object === 'group'
          ? { object: 'group' as const, id: p.id, name: null }
          : { object: 'user' as const, id: p.id },
      ),
    };
  }
  if ('relation' in write)
    return { id, type: 'relation', relation: write.relation.map((r) => ({ id: r.id })) };
  if ('files' in write) {
    return {
      id,
      type: 'files',
      files: write.files.map((f) => {
        if ('external' in f)
          return { type: 'external' as const, name: f.name, external: { url: f.external.url } };
        const name = f.name ?? 'upload.bin';
        return {
          type: 'file' as const,
          name,
          file: { url: signedUrl(name), expiry_time: '2025-01-02T04:04:00.000Z' },
        };
      }),
    };
  }
  if ('place' in write) {
    const p = write.place;
    return {
      id,
      type: 'place',
      place:
        p === null
          ? null
          : {
              lat: p.lat,
              lon: p.lon,
              name: p.name ?? null,
              address: p.address ?? null,
              google_place_id: p.google_place_id ?? null,
              aws_place_id: p.aws_place_id ?? null,
            },
    };
  }
  if ('verification' in write) {
    const v = write.verification;
    return {
      id,
      type: 'verification',
      verification:
        v.state === 'verified'
          ? {
              state: 'verified',
              date: v.date
                ? { start: v.date.start, end: v.date.end ?? null, time_zone: v.date.time_zone ?? null }
                : null,
              verified_by: { object: 'user', id: 'integration-bot' },
            }
          : { state: 'unverified', date: null, verified_by: null },
    };
  }
  throw new Error(`simulateNotionWrite: ${JSON.stringify(write)} not modelled`);
}
