import { createReadOnlyCodec } from './read-only-codec-factory.js';

/** `button` (read-only): a button holds no value, so it reads as `null`. */
export const buttonCodec = createReadOnlyCodec('button', () => null);
