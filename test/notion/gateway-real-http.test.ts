/**
 * The gateway against a real HTTP server on 127.0.0.1 (real sockets, Node's fetch): proves that undici's
 * actual errors for a dropped connection, a refused connection and a silent server are classified as the
 * retry policy expects.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/notion/create-gateway.js';
import { OutcomeUnknownError, RetriesExhaustedError } from '../../src/notion/gateway-errors.js';

const PAGE_ID = '1f2e3d4c-5b6a-7988-1f2e-3d4c5b6a7988';
const servers: Server[] = [];

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<string> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, n++));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
}

function answer(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ object: 'page', id: PAGE_ID, url: 'https://www.notion.so/x' }));
}

function gateway(baseUrl: string, token: string) {
  return createGateway({
    token,
    baseUrl,
    requestTimeoutMs: 300,
    retry: { baseDelayMs: 1, maxAttempts: 3 },
    requestsPerSecond: 100,
  });
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

describe('gateway over real sockets', () => {
  it('retries a read whose connection was destroyed mid-request', async () => {
    const url = await serve((req, res, n) => (n === 0 ? req.socket.destroy() : answer(res)));
    const g = gateway(url, 'ntn_realhttptokenAAAAAAAAAAAAAAAAAAAA');
    const page = await g.client.pages.retrieve({ page_id: PAGE_ID });
    expect(page.id).toBe(PAGE_ID);
    expect(g.metrics.snapshot().total).toMatchObject({ networkErrors: 1, attempts: 2 });
  });

  it('does not repeat a create whose connection was destroyed after sending', async () => {
    let received = 0;
    const url = await serve((req) => {
      received++;
      req.socket.destroy();
    });
    const g = gateway(url, 'ntn_realhttptokenBBBBBBBBBBBBBBBBBBBB');
    const error = await g.client.pages
      .create({ parent: { page_id: PAGE_ID }, properties: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ reason: 'connection_lost', parent: { page_id: PAGE_ID } });
    expect(received).toBe(1);
  });

  it('times out a silent server and retries a read', async () => {
    const url = await serve((_req, res, n) => {
      if (n > 0) answer(res);
      // First request: never answer.
    });
    const g = gateway(url, 'ntn_realhttptokenCCCCCCCCCCCCCCCCCCCC');
    const page = await g.client.pages.retrieve({ page_id: PAGE_ID });
    expect(page.id).toBe(PAGE_ID);
    expect(g.metrics.snapshot().total).toMatchObject({ timeouts: 1, attempts: 2 });
  });

  it('retries even a create when the connection is refused (never sent), then gives up', async () => {
    const url = await serve(() => {});
    const closing = servers.pop();
    await new Promise<void>((resolve) => closing?.close(() => resolve()));
    const g = gateway(url, 'ntn_realhttptokenDDDDDDDDDDDDDDDDDDDD');
    const error = await g.client.pages
      .create({ parent: { page_id: PAGE_ID }, properties: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({ attempts: 3, lastFailure: 'connection_lost' });
  });
});
