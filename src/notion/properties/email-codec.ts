import { MAX_EMAIL_CHARS } from '../limits.js';
import { createNullableStringCodec } from './nullable-string-codec-factory.js';

/** `email`: reads `string | null`; writes a string (≤ 200 characters); `""` or `null` clears. */
export const emailCodec = createNullableStringCodec('email', MAX_EMAIL_CHARS);
