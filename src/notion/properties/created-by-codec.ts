import { createReadOnlyCodec } from './read-only-codec-factory.js';

/** `created_by` (read-only): the creator's user id. */
export const createdByCodec = createReadOnlyCodec('created_by', (v) => v.created_by.id);
