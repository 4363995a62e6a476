import { isNotionSyncError, redactSecrets } from '../errors.js';
import type { NotionSyncErrorCode } from '../errors.js';

/** Codes the edges add to `NotionSyncErrorCode`: a refused trigger, a missing token, a bad request. */
export type ServerErrorCode =
  'already_running' | 'busy' | 'disabled' | 'stopping' | 'unauthorized' | 'invalid_request';

/** An error of the HTTP API or the MCP server itself. Its message never holds a secret. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly hint: string | undefined;
  /** For `invalid_request`: the fields at fault (`limit`, `where[0].column`). */
  readonly issues: readonly { path: string; message: string }[];

  constructor(
    code: ServerErrorCode,
    message: string,
    options: { hint?: string; issues?: readonly { path: string; message: string }[] } = {},
  ) {
    super(redactSecrets(message));
    this.code = code;
    this.hint = options.hint === undefined ? undefined : redactSecrets(options.hint);
    this.issues = options.issues ?? [];
  }
}

/** The JSON body of every error answer: `{ error: { code, message, hint?, issues? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string; issues?: { path: string; message: string }[] };
}

/** HTTP status of each error code; anything else is a 500. */
const STATUS_BY_CODE: Readonly<Record<ServerErrorCode | NotionSyncErrorCode, number>> = {
  already_running: 409,
  busy: 409,
  stopping: 503,
  disabled: 409,
  unauthorized: 401,
  invalid_request: 400,
  invalid_config: 400,
  invalid_id: 400,
  invalid_value: 400,
  not_found: 404,
  conflict: 409,
  lease_held: 409,
  destructive_change: 409,
  unsupported_property: 422,
  unsupported_block: 422,
  read_only_property: 422,
  limit_exceeded: 422,
  circuit_open: 503,
  cancelled: 503,
  notion_api: 502,
  outcome_unknown: 502,
  retries_exhausted: 502,
  store_error: 500,
  worker_error: 500,
};

/**
 * Maps any thrown value to an HTTP status and a redacted JSON body. A `NotionSyncError` or `ServerError`
 * keeps its code, message and hint; anything else is an `internal_error` whose message says nothing of the
 * cause (it is logged instead).
 */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ServerError || isNotionSyncError(error)) {
    const issues =
      error instanceof ServerError
        ? error.issues
        : ((error as { issues?: readonly { path: string; message: string }[] }).issues ?? []);
    return {
      status: STATUS_BY_CODE[error.code] ?? 500,
      body: {
        error: {
          code: error.code,
          message: redactSecrets(error.message),
          ...(error.hint === undefined ? {} : { hint: redactSecrets(error.hint) }),
          ...(issues.length === 0
            ? {}
            : { issues: issues.map((i) => ({ path: i.path, message: redactSecrets(i.message) })) }),
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'internal_error',
        message: 'The server failed to answer this request.',
        hint: 'See the server log for the cause; it is a bug if it repeats.',
      },
    },
  };
}
