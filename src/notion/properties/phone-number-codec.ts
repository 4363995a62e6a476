import { MAX_PHONE_CHARS } from '../limits.js';
import { createNullableStringCodec } from './nullable-string-codec-factory.js';

/** `phone_number`: reads `string | null`; writes a string (≤ 200 characters); `""` or `null` clears. */
export const phoneNumberCodec = createNullableStringCodec('phone_number', MAX_PHONE_CHARS);
