import { createReadOnlyCodec } from './read-only-codec-factory.js';

/** `created_time` (read-only): the ISO 8601 timestamp, minute-granular (`2025-01-02T03:04:00.000Z`). */
export const createdTimeCodec = createReadOnlyCodec('created_time', (v) => v.created_time);
