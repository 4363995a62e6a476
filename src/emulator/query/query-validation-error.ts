/**
 * Thrown by `compileFilter` / `compareBySorts` when handed a filter or sorts that `validateFilter` /
 * `validateSorts` reject. The emulator should validate first and answer 400 `validation_error` with
 * `message`; this error means a caller skipped that step.
 */
export class QueryValidationError extends Error {
  /** Notion's error code for the response this message belongs to. */
  readonly code = 'validation_error' as const;
  override readonly name = 'QueryValidationError' as const;
}
