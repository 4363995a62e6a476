import { Command } from 'commander';

/**
 * Every command, flag and example of `notion-sync`, in one place (STYLE rule 14). Each action normalizes its
 * flags, lazily imports `./commands/<name>.js` and calls its one exported function.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('notion-sync')
    .description(
      'Self-hosted sync engine for Notion: sync sources into Notion databases, mirror Notion into SQLite\n' +
        'or PostgreSQL, and both ways. Uses the built-in Notion emulator when NOTION_TOKEN is not set.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: true });

  program
    .command('demo')
    .description('Run the demo on the embedded defaults: the built-in emulator and a fresh SQLite file')
    .option('--json', 'print a machine-readable summary')
    .action(async (opts: { json?: boolean }) => {
      const { demo } = await import('./commands/demo.js');
      await demo({ json: opts.json ?? false });
    });

  return program;
}
