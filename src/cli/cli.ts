import { Command, InvalidArgumentError } from 'commander';

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
    .command('serve')
    .description('Run the scheduler with the HTTP API, the MCP server (/mcp), the status page and /metrics')
    .option(
      '-p, --port <port>',
      'port to listen on (default: config server.port, else 8787; 0 = any free port)',
    )
    .option('--host <host>', 'host to bind (default 127.0.0.1; another host needs NOTION_SYNC_API_TOKEN)')
    .option('-c, --config <path>', 'config file (default: notion-sync.config.* in the working directory)')
    .option('--store <url>', 'store URL overriding the config (sqlite:<path> or postgres://…)')
    .addHelpText(
      'after',
      '\nExamples:\n  notion-sync serve\n  NOTION_SYNC_API_TOKEN=$(openssl rand -hex 32) notion-sync serve --host 0.0.0.0 --port 8080',
    )
    .action(async (opts: { port?: string; host?: string; config?: string; store?: string }) => {
      const { serve } = await import('./commands/serve.js');
      await serve({
        ...(opts.port === undefined ? {} : { port: parsePort(opts.port) }),
        ...(opts.host === undefined ? {} : { host: opts.host }),
        ...(opts.config === undefined ? {} : { configPath: opts.config }),
        ...(opts.store === undefined ? {} : { store: opts.store }),
      });
    });

  program
    .command('mcp')
    .description('Run the MCP server over stdio (for an agent to start; logs go to stderr)')
    .option('-c, --config <path>', 'config file (default: notion-sync.config.* in the working directory)')
    .option('--store <url>', 'store URL overriding the config (sqlite:<path> or postgres://…)')
    .addHelpText(
      'after',
      '\nExample (an MCP client config):\n  { "command": "npx", "args": ["notion-sync", "mcp"] }',
    )
    .action(async (opts: { config?: string; store?: string }) => {
      const { mcp } = await import('./commands/mcp.js');
      await mcp({
        ...(opts.config === undefined ? {} : { configPath: opts.config }),
        ...(opts.store === undefined ? {} : { store: opts.store }),
      });
    });

  return program;
}

/** A TCP port from a flag. @throws InvalidArgumentError */
function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`--port must be an integer from 0 to 65535, not "${text}".`);
  }
  return port;
}
