/**
 * Turns the SDK's errors into notion-sync's: `NotionApiError` (code `notion_api`) keeps Notion's `status`,
 * `code` and `request_id`, wraps the original as `cause`, and adds a hint that says what to do next.
 */
import {
  APIErrorCode,
  APIResponseError,
  isHTTPResponseError,
  isNotionClientError,
  RequestTimeoutError,
} from '@notionhq/client';
import { isNotionSyncError, NotionSyncError, NotionSyncErrorCode } from '../errors.js';

/** Notion answered with an error that retries could not fix (or should not fix). */
export class NotionApiError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.NotionApi;
  override readonly name = 'NotionApiError';
  /** HTTP status, when Notion answered. */
  readonly status: number | undefined;
  /** Notion's error code (`object_not_found`, `validation_error`, ...) or the SDK's client code. */
  readonly notionCode: string;
  /** Notion's request id, to quote to Notion support. */
  readonly requestId: string | undefined;

  constructor(
    message: string,
    facts: { status: number | undefined; notionCode: string; requestId: string | undefined },
    options: { hint?: string; cause?: unknown },
  ) {
    super(message, options);
    this.status = facts.status;
    this.notionCode = facts.notionCode;
    this.requestId = facts.requestId;
  }

  override toJSON(): ReturnType<NotionSyncError['toJSON']> & {
    status?: number;
    notionCode: string;
    requestId?: string;
  } {
    return {
      ...super.toJSON(),
      notionCode: this.notionCode,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
    };
  }
}

/** What to do about each Notion error code. */
function hintFor(code: string, status: number | undefined): string {
  switch (code) {
    case APIErrorCode.Unauthorized:
      return 'The token is invalid or was revoked: check NOTION_TOKEN (an internal integration secret starts with "ntn_" or "secret_").';
    case APIErrorCode.RestrictedResource:
      return 'The integration lacks a capability this needs (read, update or insert content, or user information): enable it in the integration settings at https://www.notion.so/profile/integrations.';
    case APIErrorCode.ObjectNotFound:
      return 'Check the id, then share the page or database with your integration: in Notion open it, choose ••• → Connections, and add the integration.';
    case APIErrorCode.ValidationError:
      return 'Notion rejected a value in the request: fix what the message names (property name or type, a limit, a missing field).';
    case APIErrorCode.ConflictError:
      return 'Another write changed the same object at the same time and nothing was written: run again.';
    case APIErrorCode.RateLimited:
    case APIErrorCode.ServiceOverload:
      return 'Notion kept throttling after every retry: lower requestsPerSecond, or run fewer syncs at once on this token.';
    case APIErrorCode.InvalidRequestURL:
    case APIErrorCode.InvalidRequest:
      return 'Notion does not accept this request: check the Notion-Version (notionVersion option) and that the endpoint exists in it.';
    case APIErrorCode.InvalidJSON:
      return 'The request body was not valid JSON: this is a bug in notion-sync, please report it.';
    default:
      if (status !== undefined && status >= 500)
        return 'Notion is failing right now: check https://status.notion.so and run again later.';
      return 'See the message and Notion request id for details.';
  }
}

/** A short sentence naming the error: `Notion API 404 object_not_found: Could not find page ...`. */
export function describeNotionError(error: unknown): string {
  const converted = toNotionSyncError(error);
  if (isNotionSyncError(converted)) {
    return converted.hint === undefined ? converted.message : `${converted.message} ${converted.hint}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Converts an error thrown by a gateway call into a `NotionSyncError`:
 * - a `NotionSyncError` (the gateway's own `OutcomeUnknownError`, `CircuitOpenError`, ...) is returned as is;
 * - an SDK error (`APIResponseError`, `UnknownHTTPResponseError`, `RequestTimeoutError`) becomes a
 *   `NotionApiError` with `{ cause }`;
 * - anything else (a bug, an abort) is returned unchanged.
 */
export function toNotionSyncError<T>(error: T): NotionSyncError | T {
  if (isNotionSyncError(error)) return error;
  if (!isNotionClientError(error)) return error;
  if (APIResponseError.isAPIResponseError(error)) {
    return new NotionApiError(
      `Notion API ${String(error.status)} ${error.code}: ${error.message}`,
      { status: error.status, notionCode: error.code, requestId: error.request_id },
      { hint: hintFor(error.code, error.status), cause: error },
    );
  }
  if (isHTTPResponseError(error)) {
    return new NotionApiError(
      `Notion API answered HTTP ${String(error.status)} without a Notion error body: ${error.message}`,
      { status: error.status, notionCode: error.code, requestId: error.request_id },
      { hint: hintFor(error.code, error.status), cause: error },
    );
  }
  if (RequestTimeoutError.isRequestTimeoutError(error)) {
    return new NotionApiError(
      'The Notion API did not answer in time.',
      { status: undefined, notionCode: error.code, requestId: undefined },
      { hint: 'Check your network, or raise requestTimeoutMs.', cause: error },
    );
  }
  return new NotionApiError(
    `Notion client error ${error.code}: ${error.message}`,
    { status: undefined, notionCode: error.code, requestId: undefined },
    { hint: hintFor(error.code, undefined), cause: error },
  );
}
