import { createReadOnlyCodec } from './read-only-codec-factory.js';

/** `last_edited_time` (read-only): the ISO 8601 timestamp, rounded down to the minute. Volatile: not hashed. */
export const lastEditedTimeCodec = createReadOnlyCodec('last_edited_time', (v) => v.last_edited_time);
