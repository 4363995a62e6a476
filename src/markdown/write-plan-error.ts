import { NotionSyncError, NotionSyncErrorCode } from '../errors.js';

/** A write plan cannot run: a reference names a block no earlier op created, or needs a capability the writer lacks. */
export class WritePlanError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.InvalidValue;
  override readonly name = 'WritePlanError';
}
