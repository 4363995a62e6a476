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

  program
    .command('daemon')
    .description(
      'Run every configured mirror and worker sync on its schedule until SIGTERM or SIGINT, then let each\n' +
        'run finish its batch in flight and exit 0',
    )
    .option('-c, --config <path>', 'config file (default: notion-sync.config.* in the working directory)')
    .option('--store <url>', "store to use instead of the config's: a SQLite path or a postgres:// URL")
    .option('--json', 'print machine-readable JSON lines (logs go to standard error)')
    .addHelpText(
      'after',
      '\nExamples:\n  notion-sync daemon\n  notion-sync daemon --config ./sync.config.ts --store postgres://localhost/notion',
    )
    .action(async (opts: { config?: string; store?: string; json?: boolean }) => {
      const { daemon } = await import('./commands/daemon.js');
      await daemon({
        ...(opts.config === undefined ? {} : { configPath: opts.config }),
        ...(opts.store === undefined ? {} : { store: opts.store }),
        json: opts.json ?? false,
      });
    });

  return program;
}
