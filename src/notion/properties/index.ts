/**
 * Property codecs: Notion property values ↔ plain values, content hashes, diffs and completion of values
 * truncated at 25 references.
 *
 * ```ts
 * import { readPageProperties, buildPropertyWrites, contentHash } from './notion/properties/index.js';
 *
 * const plain = readPageProperties(page); // { Name: { text: 'Task', richText: [...] }, Done: true, ... }
 * const hash = contentHash(page.properties); // stable SHA-256, ignores signed URLs and last_edited_*
 * const properties = buildPropertyWrites(dataSource.properties, { Done: false }, { current: page.properties });
 * await client.pages.update({ page_id: page.id, properties });
 * ```
 *
 * @module
 */
export type {
  DatePlain,
  FilePlain,
  PersonPlain,
  PlacePlain,
  PlainValue,
  PropertyCodec,
  PropertyValueOf,
  PropertyValueResponse,
  PropertyWriteValue,
  RichTextPlain,
  UniqueIdPlain,
  UnknownPlain,
  VerificationPlain,
  WriteContext,
} from './property-codec.js';
export {
  KNOWN_PROPERTY_TYPES,
  buildPropertyWrites,
  codecFor,
  readPageProperties,
  readProperty,
  type BuildPropertyWritesOptions,
  type KnownCodecs,
  type PropertySchema,
} from './codec-registry.js';
export { CONTENT_HASH_VERSION, contentHash, hashBody, type ContentHashOptions } from './content-hash.js';
export { canonicalJson, comparableValue, plainValuesEqual } from './comparable-value.js';
export { diffProperties } from './diff-properties.js';
export {
  completeTruncatedProperties,
  isPossiblyTruncated,
  type FetchPropertyItems,
} from './complete-truncated.js';
export { splitText } from '../split-text.js';
export { fitRichText, hasFormatting, plainTextOf, toRichTextRequest } from './rich-text-write.js';
export type { TextInput } from './text-codec-factory.js';
export { titleCodec } from './title-codec.js';
export { richTextCodec } from './rich-text-codec.js';
export { numberCodec } from './number-codec.js';
export { selectCodec } from './select-codec.js';
export { multiSelectCodec } from './multi-select-codec.js';
export { statusCodec } from './status-codec.js';
export { dateCodec } from './date-codec.js';
export { peopleCodec } from './people-codec.js';
export { filesCodec } from './files-codec.js';
export { checkboxCodec } from './checkbox-codec.js';
export { urlCodec } from './url-codec.js';
export { emailCodec } from './email-codec.js';
export { phoneNumberCodec } from './phone-number-codec.js';
export { formulaCodec } from './formula-codec.js';
export { relationCodec } from './relation-codec.js';
export { rollupCodec } from './rollup-codec.js';
export { createdTimeCodec } from './created-time-codec.js';
export { createdByCodec } from './created-by-codec.js';
export { lastEditedTimeCodec } from './last-edited-time-codec.js';
export { lastEditedByCodec } from './last-edited-by-codec.js';
export { uniqueIdCodec, formatUniqueId } from './unique-id-codec.js';
export { verificationCodec } from './verification-codec.js';
export { placeCodec } from './place-codec.js';
export { buttonCodec } from './button-codec.js';
