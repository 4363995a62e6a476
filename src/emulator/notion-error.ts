/**
 * The one error type the emulator's handlers throw. The server renders it as Notion's error body
 * `{object:'error', status, code, message, request_id, additional_data?}` (notion-api-facts.md §5).
 */
export class NotionApiError extends Error {
  override readonly name = 'NotionApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly additionalData?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Renders a value the way Notion's validation messages quote it (`"yes"`, `2001`, `undefined`). */
export function quote(value: unknown): string {
  if (value === undefined) return 'undefined';
  const s = JSON.stringify(value);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** 400 `validation_error` with Notion's `body failed validation: …` wording. */
export function validationError(message: string, additionalData?: Record<string, unknown>): NotionApiError {
  return new NotionApiError(400, 'validation_error', message, additionalData);
}

/** `body failed validation: <path> should be <expected>, instead was `<value>`.` */
export function shouldBe(path: string, expected: string, value: unknown): NotionApiError {
  const where = path.startsWith('query.') ? 'query' : 'body';
  return validationError(
    `${where} failed validation: ${path} should be ${expected}, instead was \`${quote(value)}\`.`,
  );
}

/** `body failed validation: <path> should be not present, instead was `<value>`.` */
export function shouldNotBePresent(path: string, value?: unknown): NotionApiError {
  const where = path.startsWith('query.') ? 'query' : 'body';
  const tail = value === undefined ? '' : `, instead was \`${quote(value)}\``;
  return validationError(`${where} failed validation: ${path} should be not present${tail}.`);
}

/** `body failed validation: <path> should be defined, instead was `undefined`.` */
export function shouldBeDefined(path: string): NotionApiError {
  return validationError(`body failed validation: ${path} should be defined, instead was \`undefined\`.`);
}

/** 404 `object_not_found` worded as Notion does for the object kind. */
export function notFound(
  kind: 'page' | 'block' | 'database' | 'data_source' | 'user',
  id: string,
): NotionApiError {
  const noun = kind === 'data_source' ? 'data source' : kind;
  return new NotionApiError(
    404,
    'object_not_found',
    `Could not find ${noun} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
  );
}

/** The message real Notion gives for edits to a trashed block or page. */
export const ARCHIVED_EDIT_MESSAGE =
  "Can't edit block that is archived. You must unarchive the block before editing.";
