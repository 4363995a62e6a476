/**
 * notion-sync's error classes. Each has a narrow snake_case `code`, the facts a caller needs (the sync,
 * database, property or block at fault) and a `hint` that says what to do next.
 *
 * No message or field of these errors may contain a secret (DESIGN invariant 8): build messages from ids,
 * names and codes only, and pass anything user-supplied through `redactSecrets` first.
 */
export const NotionSyncErrorCode = {
  /** Config file or CLI input failed validation. */
  InvalidConfig: 'invalid_config',
  /** A Notion ID or URL could not be parsed. */
  InvalidId: 'invalid_id',
  /** The Notion API answered with an error that retries could not fix. */
  NotionApi: 'notion_api',
  /** A write's outcome is unknown (timeout, lost response): reconcile before repeating it. */
  OutcomeUnknown: 'outcome_unknown',
  /** The circuit breaker is open: calls fail fast until the cool-down passes. */
  CircuitOpen: 'circuit_open',
  /** Retries were exhausted. */
  RetriesExhausted: 'retries_exhausted',
  /** A property type, block type or value that we cannot handle: refused, never dropped. */
  UnsupportedProperty: 'unsupported_property',
  UnsupportedBlock: 'unsupported_block',
  /** A write to a read-only property. */
  ReadOnlyProperty: 'read_only_property',
  /** A value does not fit the property it is written to. */
  InvalidValue: 'invalid_value',
  /** A request would break one of Notion's limits and cannot be split. */
  LimitExceeded: 'limit_exceeded',
  /** Another process holds the lease of this sync. */
  LeaseHeld: 'lease_held',
  /** The local store failed or is in an unexpected state. */
  Store: 'store_error',
  /** A worker module is invalid or failed. */
  Worker: 'worker_error',
  /** Something the user asked for does not exist (sync key, run id, mirror). */
  NotFound: 'not_found',
  /** A schema change that would destroy data was refused. */
  DestructiveChange: 'destructive_change',
  /** A guarded write found the remote changed since it was read. */
  Conflict: 'conflict',
  /** An operation was cancelled (shutdown, abort signal). */
  Cancelled: 'cancelled',
} as const;
export type NotionSyncErrorCode = (typeof NotionSyncErrorCode)[keyof typeof NotionSyncErrorCode];

export interface NotionSyncErrorOptions {
  /** What the user should do next. */
  hint?: string;
  cause?: unknown;
}

/** Base class of every error notion-sync raises on purpose. */
export abstract class NotionSyncError extends Error {
  abstract readonly code: NotionSyncErrorCode;
  /** What the user should do next, when we know. */
  readonly hint: string | undefined;

  constructor(message: string, options: NotionSyncErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint === undefined ? undefined : redactSecrets(options.hint);
  }

  /** A JSON-safe description for `--json` output, the HTTP API and the run log. */
  toJSON(): { code: NotionSyncErrorCode; name: string; message: string; hint?: string } {
    return {
      code: this.code,
      name: this.name,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    };
  }
}

/** True for any error raised by notion-sync itself. */
export function isNotionSyncError(e: unknown): e is NotionSyncError {
  return e instanceof NotionSyncError;
}

export class InvalidConfigError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.InvalidConfig;
  override readonly name = 'InvalidConfigError';
  /** One entry per problem: the path of the field (`mirrors[0].database`) and what was expected. */
  readonly issues: readonly { path: string; message: string }[];
  constructor(
    message: string,
    issues: readonly { path: string; message: string }[] = [],
    options?: NotionSyncErrorOptions,
  ) {
    super(message, options);
    this.issues = issues.map((i) => ({ path: i.path, message: redactSecrets(i.message) }));
  }
}

export class InvalidIdError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.InvalidId;
  override readonly name = 'InvalidIdError';
}

export class NotFoundError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.NotFound;
  override readonly name = 'NotFoundError';
}

export class UnsupportedPropertyError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.UnsupportedProperty;
  override readonly name = 'UnsupportedPropertyError';
  constructor(
    readonly property: string,
    readonly propertyType: string,
    message?: string,
    options?: NotionSyncErrorOptions,
  ) {
    super(
      message ?? `Property "${property}" has type "${propertyType}", which notion-sync cannot handle here.`,
      options,
    );
  }
}

export class ReadOnlyPropertyError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.ReadOnlyProperty;
  override readonly name = 'ReadOnlyPropertyError';
  constructor(
    readonly property: string,
    readonly propertyType: string,
  ) {
    super(`Property "${property}" has type "${propertyType}", which Notion computes: it cannot be written.`, {
      hint: `Leave "${property}" out of the values you write.`,
    });
  }
}

export class InvalidValueError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.InvalidValue;
  override readonly name = 'InvalidValueError';
  constructor(
    readonly property: string,
    readonly propertyType: string,
    message: string,
    options?: NotionSyncErrorOptions,
  ) {
    super(`Property "${property}" (${propertyType}): ${message}`, options);
  }
}

export class UnsupportedBlockError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.UnsupportedBlock;
  override readonly name = 'UnsupportedBlockError';
  constructor(
    readonly blockType: string,
    message?: string,
    options?: NotionSyncErrorOptions,
  ) {
    super(message ?? `Block type "${blockType}" is not supported here.`, options);
  }
}

export class LimitExceededError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.LimitExceeded;
  override readonly name = 'LimitExceededError';
}

export class StoreError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.Store;
  override readonly name = 'StoreError';
}

export class LeaseHeldError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.LeaseHeld;
  override readonly name = 'LeaseHeldError';
}

export class WorkerError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.Worker;
  override readonly name = 'WorkerError';
}

export class DestructiveChangeError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.DestructiveChange;
  override readonly name = 'DestructiveChangeError';
}

export class ConflictError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.Conflict;
  override readonly name = 'ConflictError';
}

export class CancelledError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.Cancelled;
  override readonly name = 'CancelledError';
}

// ---------------------------------------------------------------------------------------------------------
// Secret redaction (DESIGN invariant 8)

const registeredSecrets = new Set<string>();

/**
 * Registers a secret value (an integration token, an API token) so that `redactSecrets` removes it from
 * every message, hint, log line and output. Values shorter than 8 characters are ignored (too likely to
 * collide with ordinary text).
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) registeredSecrets.add(value);
}

/** Patterns of Notion tokens, which are redacted even when they were never registered. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\b(secret_[A-Za-z0-9]{20,})\b/g,
  /\b(ntn_[A-Za-z0-9]{20,})\b/g,
  /(Bearer\s+)[^\s"',]+/gi,
];

/** Replaces every registered secret and anything that looks like a Notion token with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, prefix: string) =>
      prefix.startsWith('Bearer') || /^bearer/i.test(prefix) ? `${prefix}[REDACTED]` : '[REDACTED]',
    );
  }
  return out;
}
