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
    .command('exec <syncKey>')
    .description(
      'Run one execute of a worker sync and print its changes, hasMore and next state (writes nothing)',
    )
    .option('--state <json>', 'state to hand to execute (the nextState of an earlier step)')
    .option('--worker <path>', 'worker module (default: the configured module that declares the sync)')
    .option('--config <path>', 'config file')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `\nExample:\n  notion-sync exec ticketsSync --worker ./workers/tickets.ts --state '{"cursor":"2"}'`,
    )
    .action(
      async (syncKey: string, opts: { state?: string; worker?: string; config?: string; json?: boolean }) => {
        const { exec } = await import('./commands/exec.js');
        await exec({ syncKey, ...opts });
      },
    );

  const sync = program.command('sync').description('Run and inspect syncs into Notion (worker modules)');
  sync
    .command('trigger <syncKey>')
    .description('Run one whole cycle of a sync now; --preview shows what it would write, and writes nothing')
    .option(
      '--preview',
      "show what a run would do and write nothing: creates, updates (properties sent), unchanged rows, deletes, sweep; planned from notion-sync's key map like a real run, then checked against Notion as it is now (reads every live page of the sync's database, one call per 100 pages)",
    )
    .option('--worker <path>', 'worker module (default: the configured module that declares the sync)')
    .option(
      '--parent-page <id|url>',
      'page under which managed databases are created (default: config parentPage)',
    )
    .option('--emulator-url <url>', 'use this emulator instead of api.notion.com (no NOTION_TOKEN needed)')
    .option(
      '--allow-destructive',
      'apply schema migrations that lose data (type changes, removed properties)',
    )
    .option('--config <path>', 'config file')
    .option('--json', 'print the run outcome as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Preview: a run decides what to send from its key map (the content hash of what it last wrote per key).',
        '--preview plans the same way, then reads the pages Notion holds now and marks each row: the properties',
        'that differ in Notion, rows edited in Notion that a run leaves alone (their source is unchanged), pages',
        'trashed in Notion, and keys Notion holds that notion-sync never wrote. Page bodies compare by hash only.',
        'The reads count in its "API calls".',
        '',
        'Example:',
        '  notion-sync sync trigger ticketsSync --preview',
      ].join('\n'),
    )
    .action(
      async (
        syncKey: string,
        opts: {
          preview?: boolean;
          worker?: string;
          parentPage?: string;
          emulatorUrl?: string;
          allowDestructive?: boolean;
          config?: string;
          json?: boolean;
        },
      ) => {
        const { syncTrigger } = await import('./commands/sync.js');
        await syncTrigger({ syncKey, ...opts });
      },
    );
  sync
    .command('status [syncKey]')
    .description(
      'Show each sync: HEALTHY, INITIALIZING, WARNING, ERROR or DISABLED, its last run and backoff',
    )
    .option('--watch', 'refresh every 2 seconds until Ctrl-C')
    .option('--config <path>', 'config file')
    .option('--json', 'print JSON')
    .action(
      async (syncKey: string | undefined, opts: { watch?: boolean; config?: string; json?: boolean }) => {
        const { syncStatusCommand } = await import('./commands/sync.js');
        await syncStatusCommand({ ...(syncKey !== undefined ? { syncKey } : {}), ...opts });
      },
    );
  sync
    .command('state')
    .description('Manage the stored state of a sync')
    .command('reset <syncKey>')
    .description(
      'Forget the cursor, cycle and failure stats of a sync (rows already written are kept and updated)',
    )
    .option('--config <path>', 'config file')
    .option('--json', 'print JSON')
    .action(async (syncKey: string, opts: { config?: string; json?: boolean }) => {
      const { syncStateReset } = await import('./commands/sync.js');
      await syncStateReset({ syncKey, ...opts });
    });

  program
    .command('db')
    .description('Bind worker databases to Notion databases')
    .command('attach <databaseKey> <database>')
    .description('Bind an "attached" worker database to an existing Notion database (URL or id)')
    .option('--emulator-url <url>', 'use this emulator instead of api.notion.com (no NOTION_TOKEN needed)')
    .option('--config <path>', 'config file')
    .option('--json', 'print the binding as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  notion-sync db attach tickets https://www.notion.so/acme/Tickets-0123456789abcdef0123456789abcdef',
    )
    .action(
      async (
        databaseKey: string,
        database: string,
        opts: { emulatorUrl?: string; config?: string; json?: boolean },
      ) => {
        const { dbAttach } = await import('./commands/db.js');
        await dbAttach({ databaseKey, database, ...opts });
      },
    );

  program
    .command('mirror')
    .description(
      'Mirror Notion databases into the local replica (SQLite or PostgreSQL): backfill, then deltas',
    )
    .argument(
      '[sources...]',
      'database ids, data source ids or notion.so links (default: mirrors in the config)',
    )
    .option('--store <url>', 'store: sqlite:<path> or postgres://… (default: config, else ./notion-sync.db)')
    .option('--no-bodies', 'skip page bodies')
    .option('--full', 'complete scan with delete detection')
    .option(
      '--rediscover-after-ms <ms>',
      'read the data sources and schemas again when the recorded ones are older than this (default: config rediscoverAfterMs, else 3600000 = one hour; 0 = every run)',
      parseNonNegativeInteger,
    )
    .option('--json', 'print the run outcome as JSON')
    .option('--emulator-url <url>', 'mirror from a running `notion-sync emulator`')
    .option('--config <file>', 'config file')
    .addHelpText(
      'after',
      '\nExamples:\n  notion-sync mirror https://www.notion.so/Tasks-0123456789abcdef0123456789abcdef\n  notion-sync mirror --full --store postgres://localhost/notion <database id>',
    )
    .action(
      async (
        sources: string[],
        opts: {
          store?: string;
          bodies: boolean;
          full?: boolean;
          rediscoverAfterMs?: number;
          json?: boolean;
          emulatorUrl?: string;
          config?: string;
        },
      ) => {
        const { mirror } = await import('./commands/mirror.js');
        await mirror({
          sources,
          noBodies: !opts.bodies,
          ...pick(opts, 'store', 'full', 'rediscoverAfterMs', 'json', 'emulatorUrl', 'config'),
        });
      },
    );

  const runs = program.command('runs').description('The audit trail of every run');
  runs
    .command('list')
    .description('Latest runs, newest first')
    .option('--plain', 'tab-separated, run id first, no header')
    .option('--json', 'print JSON')
    .option('--store <url>', 'store URL')
    .action(async (opts: { plain?: boolean; json?: boolean; store?: string }) => {
      const { runs: command } = await import('./commands/runs.js');
      await command({ action: 'list', ...pick(opts, 'plain', 'json', 'store') });
    });
  runs
    .command('show')
    .description('One run: counts, API calls, error and events')
    .argument('<id>', 'run id (see `runs list`)')
    .option('--json', 'print JSON')
    .option('--store <url>', 'store URL')
    .action(async (id: string, opts: { json?: boolean; store?: string }) => {
      const { runs: command } = await import('./commands/runs.js');
      await command({ action: 'show', id, ...pick(opts, 'json', 'store') });
    });
  runs
    .command('release')
    .description(
      "Clear the leases of a run whose process is gone (killed or crashed on this host), so the job's next run need not wait for them to expire",
    )
    .argument('<job>', 'job id (mirror:<name>, sync:<syncKey>) or the lease named by a refusal')
    .option('--json', 'print JSON')
    .option('--store <url>', 'store URL')
    .option('--config <path>', 'config file')
    .addHelpText('after', '\nExample:\n  notion-sync runs release mirror:tasks')
    .action(async (job: string, opts: { json?: boolean; store?: string; config?: string }) => {
      const { runsRelease } = await import('./commands/runs-release.js');
      await runsRelease({ target: job, ...pick(opts, 'json', 'store', 'config') });
    });

  program
    .command('history')
    .description('Every recorded version of a mirrored page, with what changed')
    .argument('<page>', 'page id or link')
    .option('--json', 'print JSON')
    .option('--store <url>', 'store URL')
    .action(async (page: string, opts: { json?: boolean; store?: string }) => {
      const { history } = await import('./commands/history.js');
      await history({ page, ...pick(opts, 'json', 'store') });
    });

  program
    .command('search')
    .description('Full-text search over mirrored page titles and bodies')
    .argument('<text>', 'words to find')
    .option('--limit <n>', 'most hits shown', (v) => Number.parseInt(v, 10))
    .option('--json', 'print JSON')
    .option('--store <url>', 'store URL')
    .action(async (text: string, opts: { limit?: number; json?: boolean; store?: string }) => {
      const { search } = await import('./commands/search.js');
      await search({ text, ...pick(opts, 'limit', 'json', 'store') });
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

/** The defined options among `keys` (commander leaves absent flags `undefined`; exactOptionalPropertyTypes). */
function pick<T extends object, K extends keyof T>(
  opts: T,
  ...keys: K[]
): { [P in K]?: Exclude<T[P], undefined> } {
  const out: { [P in K]?: Exclude<T[P], undefined> } = {};
  for (const key of keys) if (opts[key] !== undefined) out[key] = opts[key] as Exclude<T[K], undefined>;
  return out;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

function parseNonNegativeInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a whole number of milliseconds, 0 or more');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}
