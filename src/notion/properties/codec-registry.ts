/**
 * Finding the codec of a property type, and reading or writing a whole page's properties at once.
 * @module
 */
import type { CreatePageParameters, PageObjectResponse } from '@notionhq/client/build/src/api-endpoints.js';
import { NotFoundError } from '../../errors.js';
import { buttonCodec } from './button-codec.js';
import { checkboxCodec } from './checkbox-codec.js';
import { createdByCodec } from './created-by-codec.js';
import { createdTimeCodec } from './created-time-codec.js';
import { dateCodec } from './date-codec.js';
import { emailCodec } from './email-codec.js';
import { filesCodec } from './files-codec.js';
import { formulaCodec } from './formula-codec.js';
import { lastEditedByCodec } from './last-edited-by-codec.js';
import { lastEditedTimeCodec } from './last-edited-time-codec.js';
import { multiSelectCodec } from './multi-select-codec.js';
import { numberCodec } from './number-codec.js';
import { peopleCodec } from './people-codec.js';
import { phoneNumberCodec } from './phone-number-codec.js';
import { placeCodec } from './place-codec.js';
import type { PlainValue, PropertyCodec, PropertyValueResponse, WriteContext } from './property-codec.js';
import { relationCodec } from './relation-codec.js';
import { richTextCodec } from './rich-text-codec.js';
import { rollupCodec } from './rollup-codec.js';
import { selectCodec } from './select-codec.js';
import { statusCodec } from './status-codec.js';
import { titleCodec } from './title-codec.js';
import { uniqueIdCodec } from './unique-id-codec.js';
import { createUnknownCodec } from './unknown-codec.js';
import { urlCodec } from './url-codec.js';
import { verificationCodec } from './verification-codec.js';

/** The codec of each property type this version knows. */
export interface KnownCodecs {
  title: typeof titleCodec;
  rich_text: typeof richTextCodec;
  number: typeof numberCodec;
  select: typeof selectCodec;
  multi_select: typeof multiSelectCodec;
  status: typeof statusCodec;
  date: typeof dateCodec;
  people: typeof peopleCodec;
  files: typeof filesCodec;
  checkbox: typeof checkboxCodec;
  url: typeof urlCodec;
  email: typeof emailCodec;
  phone_number: typeof phoneNumberCodec;
  formula: typeof formulaCodec;
  relation: typeof relationCodec;
  rollup: typeof rollupCodec;
  created_time: typeof createdTimeCodec;
  created_by: typeof createdByCodec;
  last_edited_time: typeof lastEditedTimeCodec;
  last_edited_by: typeof lastEditedByCodec;
  unique_id: typeof uniqueIdCodec;
  verification: typeof verificationCodec;
  place: typeof placeCodec;
  button: typeof buttonCodec;
}

/** Every property type with a codec of its own. */
export const KNOWN_PROPERTY_TYPES: readonly (keyof KnownCodecs)[] = Object.freeze([
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'status',
  'date',
  'people',
  'files',
  'checkbox',
  'url',
  'email',
  'phone_number',
  'formula',
  'relation',
  'rollup',
  'created_time',
  'created_by',
  'last_edited_time',
  'last_edited_by',
  'unique_id',
  'verification',
  'place',
  'button',
]);

/**
 * The codec of a property type. A type this version does not know gets a codec that reads its raw JSON
 * (`UnknownPlain`) and refuses writes: never a crash, never a silent drop.
 */
export function codecFor<T extends keyof KnownCodecs>(type: T): KnownCodecs[T];
export function codecFor(type: string): PropertyCodec<PlainValue, unknown>;
export function codecFor(type: string): PropertyCodec<PlainValue, unknown> {
  // A switch rather than a table built at load time: rollup-codec imports this module back, and a switch
  // touches the codecs only when called, after every module has loaded.
  const codec = ((): PropertyCodec<PlainValue, never> | undefined => {
    switch (type) {
      case 'title':
        return titleCodec;
      case 'rich_text':
        return richTextCodec;
      case 'number':
        return numberCodec;
      case 'select':
        return selectCodec;
      case 'multi_select':
        return multiSelectCodec;
      case 'status':
        return statusCodec;
      case 'date':
        return dateCodec;
      case 'people':
        return peopleCodec;
      case 'files':
        return filesCodec;
      case 'checkbox':
        return checkboxCodec;
      case 'url':
        return urlCodec;
      case 'email':
        return emailCodec;
      case 'phone_number':
        return phoneNumberCodec;
      case 'formula':
        return formulaCodec;
      case 'relation':
        return relationCodec;
      case 'rollup':
        return rollupCodec;
      case 'created_time':
        return createdTimeCodec;
      case 'created_by':
        return createdByCodec;
      case 'last_edited_time':
        return lastEditedTimeCodec;
      case 'last_edited_by':
        return lastEditedByCodec;
      case 'unique_id':
        return uniqueIdCodec;
      case 'verification':
        return verificationCodec;
      case 'place':
        return placeCodec;
      case 'button':
        return buttonCodec;
      default:
        return undefined;
    }
  })();
  return (codec ?? createUnknownCodec(type)) as PropertyCodec<PlainValue, unknown>;
}

/** Reads every property of a page into its plain value, by property name. */
export function readPageProperties(page: Pick<PageObjectResponse, 'properties'>): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  for (const [name, value] of Object.entries(page.properties)) out[name] = readProperty(value);
  return out;
}

/** Reads one property value with the codec of its type. */
export function readProperty(value: PropertyValueResponse): PlainValue {
  return codecFor(value.type).read(value);
}

/** The part of a data source schema `buildPropertyWrites` needs: each property's type, by name. */
export type PropertySchema = Readonly<Record<string, { readonly type: string }>>;

/** Options of {@link buildPropertyWrites}. */
export interface BuildPropertyWritesOptions {
  /** The page's current properties, when updating: lets text writes keep formatting (see `WriteContext`). */
  readonly current?: PageObjectResponse['properties'] | undefined;
  /** Let plain text replace formatted rich text. @default false */
  readonly allowFormattingLoss?: boolean | undefined;
}

/**
 * Builds the `properties` of `pages.create` / `pages.update` from plain values by property name.
 *
 * - A name not in `schema` throws `NotFoundError` naming it and listing the known names.
 * - A value of the wrong shape throws `InvalidValueError` naming the property, its type and what was
 *   expected; a read-only type throws `ReadOnlyPropertyError`; an unknown type `UnsupportedPropertyError`;
 *   a value over a Notion limit `LimitExceededError`. Nothing is sent half-built.
 * - `undefined` values are left out (the property is untouched); `null` clears.
 *
 * @param schema - the data source's `properties` (a `DataSourceObjectResponse['properties']` fits).
 */
export function buildPropertyWrites(
  schema: PropertySchema,
  plainValuesByName: Readonly<Record<string, unknown>>,
  options: BuildPropertyWritesOptions = {},
): NonNullable<CreatePageParameters['properties']> {
  const out: NonNullable<CreatePageParameters['properties']> = {};
  for (const [name, plain] of Object.entries(plainValuesByName)) {
    if (plain === undefined) continue;
    const property = Object.hasOwn(schema, name) ? schema[name] : undefined;
    if (property === undefined) {
      const known = Object.keys(schema)
        .map((n) => `"${n}"`)
        .join(', ');
      throw new NotFoundError(
        `Property "${name}" is not in the data source's schema. Known properties: ${known}.`,
        {
          hint: `Check the spelling of "${name}" (names are case-sensitive), or add the property to the data source.`,
        },
      );
    }
    const ctx: WriteContext = {
      propertyName: name,
      current: options.current?.[name],
      allowFormattingLoss: options.allowFormattingLoss,
    };
    out[name] = codecFor(property.type).write(plain, ctx);
  }
  return out;
}
