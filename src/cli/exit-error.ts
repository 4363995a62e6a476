/** Thrown by a command that has already printed what went wrong; only `src/cli/index.ts` exits. */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
