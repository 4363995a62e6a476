import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { InvalidConfigError, registerSecret } from '../errors.js';
import type { ServerAppOptions } from './create-server-app.js';
import { createServerApp } from './create-server-app.js';

/** The port `serve` listens on by default. */
export const DEFAULT_SERVER_PORT = 8787;
/** The host `serve` binds by default (loopback: reachable from this machine only). */
export const DEFAULT_SERVER_HOST = '127.0.0.1';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

/** True for a host name or address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface StartServerOptions extends ServerAppOptions {
  /** 0 picks a free port. @default DEFAULT_SERVER_PORT */
  readonly port?: number;
  /** @default DEFAULT_SERVER_HOST; a non-loopback host requires `token` */
  readonly host?: string;
}

/** A listening server. */
export interface RunningServer {
  /** `http://<host>:<port>` as clients reach it. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** True when a token is required. */
  readonly authenticated: boolean;
  /** Stops accepting connections and closes open ones; resolves when closed. */
  close(): Promise<void>;
}

/**
 * Serves `createServerApp` on a port. Without a token it binds loopback only, and refuses any other host
 * with `InvalidConfigError` (an open API would let anyone on the network trigger runs and read the
 * replica).
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_SERVER_HOST;
  const port = options.port ?? DEFAULT_SERVER_PORT;
  if (options.token === undefined && !isLoopbackHost(host)) {
    throw new InvalidConfigError(
      `Refusing to listen on ${host} without an API token.`,
      [{ path: 'server.host', message: 'a non-loopback host needs NOTION_SYNC_API_TOKEN' }],
      { hint: 'Set NOTION_SYNC_API_TOKEN to a long random value, or listen on 127.0.0.1.' },
    );
  }
  registerSecret(options.token);
  const app = createServerApp(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    host,
    authenticated: options.token !== undefined,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
