/**
 * The seam between Notion property values and notion-sync's plain values.
 *
 * A {@link PropertyCodec} reads one Notion property value (as found in `page.properties[name]`) into a
 * {@link PlainValue} — the form stored in the replica's typed columns, hashed and diffed — and turns a plain
 * value back into the value `pages.create` / `pages.update` accept. One codec exists per Notion property
 * type; `codecFor(type)` in `codec-registry.ts` finds it.
 *
 * @module
 */
import type {
  CreatePageParameters,
  PageObjectResponse,
  RichTextItemResponse,
} from '@notionhq/client/build/src/api-endpoints.js';

/** One property value of a page, exactly as the SDK types it (`page.properties[name]`). */
export type PropertyValueResponse = PageObjectResponse['properties'][string];

/** One property value of a `pages.create` / `pages.update` body (`properties[name]`). */
export type PropertyWriteValue = NonNullable<CreatePageParameters['properties']>[string];

/** The SDK's property value whose `type` is `T`. */
export type PropertyValueOf<T extends PropertyValueResponse['type']> = Extract<
  PropertyValueResponse,
  { type: T }
>;

/** What a codec needs to know to write a value. */
export interface WriteContext {
  /** Name of the property written, used in every error message. */
  readonly propertyName: string;
  /**
   * The value the property holds in Notion now, when known. Text codecs use it so that writing back the same
   * plain text keeps the annotations, links and mentions it has (notion-api-facts.md §13, pitfall 23), and
   * the verification codec uses it to accept an unchanged `verified_by`.
   */
  readonly current?: PropertyValueResponse | undefined;
  /**
   * Let a plain string replace rich text that carries formatting (annotations, links, mentions, equations).
   * @default false — such a write is refused with `InvalidValueError`, because it would silently lose the
   * formatting.
   */
  readonly allowFormattingLoss?: boolean | undefined;
}

/**
 * Converts one Notion property type between the SDK's value and a {@link PlainValue}.
 *
 * - `read` never throws for a value of its own type; given another type it throws `InvalidValueError`.
 * - `write` validates its input at run time (plain values come from users, sources and the replica) and
 *   throws `InvalidValueError` (wrong shape), `LimitExceededError` (over a Notion limit) or
 *   `ReadOnlyPropertyError` (a computed type), always naming `ctx.propertyName`.
 * - `read(notionTurns(write(p)))` equals `p` under `equals` for every valid `p`.
 *
 * @typeParam TPlain - what `read` returns.
 * @typeParam TInput - what `write` accepts; a superset of `TPlain` (e.g. a plain string for rich text).
 */
export interface PropertyCodec<TPlain extends PlainValue = PlainValue, TInput = TPlain> {
  /** The Notion property type, e.g. `"multi_select"`. */
  readonly type: string;
  /** False for computed types (formula, rollup, created_*, last_edited_*, unique_id, button, unknown types). */
  readonly writable: boolean;
  /** Notion value → plain value. */
  read(value: PropertyValueResponse): TPlain;
  /** Plain value → write payload. Read-only codecs throw `ReadOnlyPropertyError`. */
  write(plain: TInput, ctx: WriteContext): PropertyWriteValue;
  /**
   * Whether two plain values mean the same content, ignoring volatile parts (signed file URLs, how Notion
   * split a text). Defaults to comparing `comparableValue` forms (see `comparable-value.ts`).
   */
  equals?(a: TPlain, b: TPlain): boolean;
}

/**
 * A date or date range. `start`/`end` are ISO 8601 dates (`2025-01-02`) or datetimes
 * (`2025-01-02T10:00:00.000+00:00`), as Notion returns them; `time_zone` is an IANA name or null.
 */
export interface DatePlain {
  readonly start: string;
  readonly end: string | null;
  readonly time_zone: string | null;
}

/**
 * Title and rich text. `text` is the concatenated plain text (what the replica's column holds); `richText`
 * is Notion's array, kept so that writes never lose annotations, links or mentions.
 */
export interface RichTextPlain {
  readonly text: string;
  readonly richText: readonly RichTextItemResponse[];
}

/** A person or group in a people value. `email` is present for people whose email Notion returned. */
export interface PersonPlain {
  readonly id: string;
  readonly object: 'user' | 'group';
  readonly email?: string;
}

/**
 * A file in a files value. Notion-hosted files (`type: 'file'`) have a signed `url` that expires about an
 * hour after the read (`expiry_time`): download promptly, never compare or hash it. `file_upload` is only
 * written (a File Upload object's id in `url`'s place).
 */
export type FilePlain =
  | { readonly type: 'external'; readonly name: string; readonly url: string }
  | { readonly type: 'file'; readonly name: string; readonly url: string; readonly expiry_time?: string }
  | { readonly type: 'file_upload'; readonly name?: string; readonly file_upload_id: string };

/** A unique id (`ID` property). `display` is `"PRE-12"`, or `"12"` without prefix; null when unnumbered. */
export interface UniqueIdPlain {
  readonly prefix: string | null;
  readonly number: number | null;
  readonly display: string | null;
}

/** A verification value (wiki pages). `verified_by` is a user id; only Notion sets it. */
export interface VerificationPlain {
  readonly state: 'verified' | 'expired' | 'unverified';
  readonly verified_by: string | null;
  readonly date: DatePlain | null;
}

/** A place value (degrees of latitude and longitude, plus optional labels). */
export interface PlacePlain {
  readonly lat: number;
  readonly lon: number;
  readonly name: string | null;
  readonly address: string | null;
  readonly google_place_id: string | null;
  readonly aws_place_id: string | null;
}

/** A property type this version does not know: its raw JSON with its type name, never dropped. */
export interface UnknownPlain {
  readonly unknownType: string;
  readonly raw: unknown;
}

/**
 * Every plain form a codec reads, by Notion type:
 *
 * | type | plain value |
 * | --- | --- |
 * | title, rich_text | {@link RichTextPlain} (`text` + lossless `richText`) |
 * | number | `number \| null` |
 * | select, status | option name, `string \| null` |
 * | multi_select | option names, `string[]` |
 * | date | {@link DatePlain} `\| null` |
 * | people | {@link PersonPlain}`[]` |
 * | files | {@link FilePlain}`[]` |
 * | checkbox | `boolean` |
 * | url, email, phone_number | `string \| null` |
 * | formula | the computed value by its type: `string \| number \| boolean \|` {@link DatePlain} `\| null` |
 * | relation | page ids, `string[]` |
 * | rollup | `number \|` {@link DatePlain} `\| PlainValue[] \| null` (array items read by their own codec) |
 * | created_time, last_edited_time | ISO 8601 string |
 * | created_by, last_edited_by | user id string |
 * | unique_id | {@link UniqueIdPlain} |
 * | verification | {@link VerificationPlain} `\| null` |
 * | place | {@link PlacePlain} `\| null` |
 * | button | `null` |
 * | anything else | {@link UnknownPlain} |
 */
export type PlainValue =
  | string
  | number
  | boolean
  | null
  | readonly string[]
  | DatePlain
  | RichTextPlain
  | readonly PersonPlain[]
  | readonly FilePlain[]
  | UniqueIdPlain
  | VerificationPlain
  | PlacePlain
  | UnknownPlain
  | readonly PlainValue[];
