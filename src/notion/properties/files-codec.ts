import type {
  FileUploadWithOptionalNameRequest,
  InternalOrExternalFileWithNameRequest,
} from '@notionhq/client/build/src/api-endpoints.js';
import { checkArrayLimit, expectType, invalidValue, isRecord } from './codec-helpers.js';
import type { FilePlain, PropertyCodec, WriteContext } from './property-codec.js';
import { MAX_ARRAY_ITEMS } from '../limits.js';

type FileRequest = InternalOrExternalFileWithNameRequest | FileUploadWithOptionalNameRequest;

const EXPECTED =
  'an array of {type: "external" | "file", name, url} or {type: "file_upload", file_upload_id, name?}';

function fileRequest(file: unknown, ctx: WriteContext): FileRequest {
  if (!isRecord(file)) throw invalidValue(ctx, 'files', EXPECTED, file);
  const { type, name, url } = file;
  if (type === 'file_upload') {
    const id = file['file_upload_id'];
    if (typeof id !== 'string' || (name !== undefined && typeof name !== 'string')) {
      throw invalidValue(ctx, 'files', EXPECTED, file);
    }
    return name === undefined
      ? { type: 'file_upload', file_upload: { id } }
      : { type: 'file_upload', file_upload: { id }, name };
  }
  if ((type !== 'external' && type !== 'file') || typeof name !== 'string' || typeof url !== 'string') {
    throw invalidValue(ctx, 'files', EXPECTED, file);
  }
  // A Notion-hosted file is kept by sending its (still valid) signed URL back; Notion answers with a new one.
  return type === 'external' ? { type, name, external: { url } } : { type, name, file: { url } };
}

/**
 * `files`: reads `{ type: 'external' | 'file', name, url }` per file. `url` of a Notion-hosted file
 * (`type: 'file'`) is signed and expires about an hour after the read (`expiry_time` is kept): download it
 * promptly; hashing and diffing ignore it. Writes external files, Notion-hosted files (only while their URL
 * is valid) and File Upload ids. `null` or `[]` clears.
 */
export const filesCodec: PropertyCodec<readonly FilePlain[], readonly FilePlain[] | null> = {
  type: 'files',
  writable: true,
  read: (value) =>
    expectType(value, 'files').files.map((f): FilePlain =>
      f.type === 'external'
        ? { type: 'external', name: f.name, url: f.external.url }
        : { type: 'file', name: f.name, url: f.file.url, expiry_time: f.file.expiry_time },
    ),
  write(input, ctx) {
    if (input !== null && !Array.isArray(input)) throw invalidValue(ctx, 'files', EXPECTED, input);
    const files = input ?? [];
    checkArrayLimit(ctx, 'files', files.length, MAX_ARRAY_ITEMS, 'files');
    return { type: 'files', files: files.map((f) => fileRequest(f, ctx)) };
  },
};
