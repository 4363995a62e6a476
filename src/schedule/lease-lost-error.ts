import { NotionSyncError, NotionSyncErrorCode } from '../errors.js';

/**
 * The abort reason of a run whose lease could not be renewed (it expired, or another process took it): the
 * run must stop after its batch in flight, because another holder may already be running the same job.
 */
export class LeaseLostError extends NotionSyncError {
  readonly code = NotionSyncErrorCode.LeaseHeld;
  override readonly name = 'LeaseLostError';

  constructor(readonly jobId: string) {
    super(`The lease of job "${jobId}" was lost (it expired or another process took it over).`, {
      hint: 'Check that the store is reachable and that the process is not starved; the job runs again on its schedule.',
    });
  }
}
