import { MAX_URL_CHARS } from '../limits.js';
import { createNullableStringCodec } from './nullable-string-codec-factory.js';

/** `url`: reads `string | null`; writes a string (≤ 2,000 characters); `""` or `null` clears. */
export const urlCodec = createNullableStringCodec('url', MAX_URL_CHARS);
