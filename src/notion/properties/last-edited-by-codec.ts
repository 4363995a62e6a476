import { createReadOnlyCodec } from './read-only-codec-factory.js';

/** `last_edited_by` (read-only): the last editor's user id. Volatile: not hashed. */
export const lastEditedByCodec = createReadOnlyCodec('last_edited_by', (v) => v.last_edited_by.id);
