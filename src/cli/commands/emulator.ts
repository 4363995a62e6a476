import { startEmulator } from '../../emulator/index.js';

/** Options of `notion-sync emulator`. */
export interface EmulatorCommandOptions {
  /** TCP port; 0 = a free port. @default 0 */
  port?: number;
  /** Initial content. @default 'empty' */
  seed?: 'demo' | 'empty';
  /** Requests per second per token before 429 (burst = rate). @default off */
  rateLimit?: number;
  /** JSON state file kept across restarts. */
  persist?: string;
  /** Only accept `Authorization: Bearer <token>`. */
  token?: string;
  /** Print one JSON line `{url, rootPageId, botId}` instead of prose. */
  json?: boolean;
  /** Resolves when the emulator should stop. @default SIGINT or SIGTERM */
  until?: Promise<void>;
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** `notion-sync emulator`: starts the Notion API emulator, prints its base URL and serves until SIGINT/SIGTERM. */
export async function emulator(options: EmulatorCommandOptions = {}): Promise<void> {
  const handle = await startEmulator({
    port: options.port ?? 0,
    seed: options.seed ?? 'empty',
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.persist ? { persistPath: options.persist } : {}),
    ...(options.token ? { token: options.token } : {}),
  });
  if (options.json) {
    console.log(
      JSON.stringify({ url: handle.url, rootPageId: handle.rootPageId ?? null, botId: handle.botId }),
    );
  } else {
    console.log(`Notion API emulator listening on ${handle.url}`);
    console.log(`  use: new Client({ auth: '<any token>', baseUrl: '${handle.url}' })`);
    console.log(`  root page: ${handle.rootPageId ?? '(none)'}; stop with Ctrl-C`);
  }
  await (options.until ?? signalled());
  await handle.stop();
  if (!options.json) console.log('Emulator stopped.');
}
