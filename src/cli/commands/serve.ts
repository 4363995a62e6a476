import { createPinoLogger } from '../../logger.js';
import { openEngine } from '../../server/open-engine.js';
import { engineJobFactories } from '../engine-job-factories.js';
import { DEFAULT_SERVER_HOST, DEFAULT_SERVER_PORT, startServer } from '../../server/start-server.js';

export interface ServeOptions {
  /** @default the config's server.port, else DEFAULT_SERVER_PORT (8787); 0 picks a free port */
  port?: number;
  /** @default the config's server.host, else 127.0.0.1 */
  host?: string;
  /** An explicit config file. */
  configPath?: string;
  /** A store URL overriding the config's. */
  store?: string;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Stops the server when aborted (tests); SIGTERM and SIGINT always do. */
  signal?: AbortSignal;
  /** Where the start-up lines go. @default console.log */
  print?: (line: string) => void;
}

/**
 * `notion-sync serve`: runs the scheduler and the HTTP server (API, MCP at /mcp, status page, metrics)
 * until SIGTERM or SIGINT, then stops gracefully: no new requests, runs in flight cancelled and
 * committed, store closed.
 */
export async function serve(options: ServeOptions = {}): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const logger = createPinoLogger();
  const opened = await openEngine({
    factories: engineJobFactories(),
    configPath: options.configPath,
    store: options.store,
    logger,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  let server;
  try {
    server = await startServer({
      store: opened.store,
      engine: opened.scheduler,
      isReady: opened.isRunning,
      token: opened.apiToken,
      gatewayMetrics: opened.gatewayMetrics,
      logger,
      port: options.port ?? opened.config.server?.port ?? DEFAULT_SERVER_PORT,
      host: options.host ?? opened.config.server?.host ?? DEFAULT_SERVER_HOST,
    });
  } catch (error) {
    await opened.close();
    throw error;
  }
  for (const u of opened.unscheduled) print(`  not scheduled: ${u.kind} ${u.name} (${u.reason})`);
  print(`notion-sync serving on ${server.url} (status page /, API /api, MCP /mcp, metrics /metrics)`);
  print(
    server.authenticated
      ? 'API token required (NOTION_SYNC_API_TOKEN): send "Authorization: Bearer <token>", or log in on the status page.'
      : 'No NOTION_SYNC_API_TOKEN set: no authentication, so listening on loopback only.',
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  print('notion-sync stopping: finishing runs in flight…');
  await server.close();
  await opened.close();
  print('notion-sync stopped.');
}
