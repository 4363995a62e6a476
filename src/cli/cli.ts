import { Command, InvalidArgumentError, Option } from 'commander';

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
    .command('emulator')
    .description('Run the Notion API emulator: a local api.notion.com for development, tests and demos')
    .option('--port <n>', 'TCP port (0 = a free port)', parsePort, 0)
    .addOption(new Option('--seed <seed>', 'initial content').choices(['demo', 'empty']).default('empty'))
    .option('--rate-limit <r>', 'requests per second per token before answering 429', parsePositive)
    .option('--persist <file>', 'keep the state in this JSON file across restarts')
    .option('--token <token>', 'accept only this bearer token (any non-empty token otherwise)')
    .option('--json', 'print one JSON line {url, rootPageId, botId}')
    .addHelpText(
      'after',
      '\nExamples:\n  notion-sync emulator --port 8787 --seed demo\n' +
        '  notion-sync emulator --seed demo --persist .tmp/notion.json --rate-limit 3\n' +
        "Then: new Client({ auth: 'any-token', baseUrl: '<printed url>' }) from @notionhq/client.",
    )
    .action(
      async (o: {
        port: number;
        seed: 'demo' | 'empty';
        rateLimit?: number;
        persist?: string;
        token?: string;
        json?: boolean;
      }) => {
        const { emulator } = await import('./commands/emulator.js');
        await emulator({ ...o, json: o.json ?? false });
      },
    );

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

  program
    .command('serve')
    .description('Run the scheduler with the HTTP API, the MCP server (/mcp), the status page and /metrics')
    .option('-p, --port <port>', 'port (default: config server.port, else 8787; 0 = a free port)', parsePort)
    .option('--host <host>', 'host to bind (default 127.0.0.1; another host needs NOTION_SYNC_API_TOKEN)')
    .option('-c, --config <path>', 'config file (default: notion-sync.config.* in the working directory)')
    .option('--store <url>', "store to use instead of the config's: a SQLite path or a postgres:// URL")
    .addHelpText(
      'after',
      '\nExamples:\n  notion-sync serve\n' +
        '  NOTION_SYNC_API_TOKEN=$(openssl rand -hex 32) notion-sync serve --host 0.0.0.0 --port 8080',
    )
    .action(async (opts: { port?: number; host?: string; config?: string; store?: string }) => {
      const { serve } = await import('./commands/serve.js');
      await serve({
        ...(opts.port === undefined ? {} : { port: opts.port }),
        ...(opts.host === undefined ? {} : { host: opts.host }),
        ...(opts.config === undefined ? {} : { configPath: opts.config }),
        ...(opts.store === undefined ? {} : { store: opts.store }),
      });
    });

  program
    .command('mcp')
    .description('Run the MCP server over stdio (for an agent to start; logs go to standard error)')
    .option('-c, --config <path>', 'config file (default: notion-sync.config.* in the working directory)')
    .option('--store <url>', "store to use instead of the config's: a SQLite path or a postgres:// URL")
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

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}
