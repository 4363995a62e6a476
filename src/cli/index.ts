#!/usr/bin/env node
import { CommanderError } from 'commander';
import { isNotionSyncError, redactSecrets } from '../errors.js';
import { buildProgram } from './cli.js';
import { ExitError } from './exit-error.js';

/** The CLI's entry point, and the only place that calls `process.exit`. */
async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof ExitError) return error.exitCode;
    if (error instanceof CommanderError) return error.exitCode;
    if (isNotionSyncError(error)) {
      console.error(`error: ${error.message}`);
      if (error.hint) console.error(`hint: ${error.hint}`);
      return 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`internal error: ${redactSecrets(message)}`);
    console.error('This is a bug in notion-sync; please report it with the output above.');
    return 70;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(redactSecrets(String(error)));
    process.exitCode = 70;
  },
);
