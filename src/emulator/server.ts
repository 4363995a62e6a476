import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { matchEndpoint } from '../notion/endpoints.js';
import { MAX_PAYLOAD_BYTES, SUPPORTED_NOTION_VERSIONS, type NotionVersion } from '../notion/limits.js';
import type { EmulatorStats, FaultRule } from './emulator-options.js';
import type { FaultInjector } from './fault-injector.js';
import { faultError } from './fault-injector.js';
import { handlers } from './handlers.js';
import { isObject, type JsonObject } from './json.js';
import { NotionApiError, validationError } from './notion-error.js';
import type { QueryRunner } from './query-runner.js';
import { RawJson } from './raw-json.js';
import type { RateLimiter } from './rate-limiter.js';
import { renderer } from './render.js';
import type { Workspace } from './workspace.js';

/** What the request pipeline needs. */
export interface ServerContext {
  ws: Workspace;
  runner: QueryRunner;
  faults: FaultInjector;
  limiter: RateLimiter | undefined;
  clock: Clock;
  token: string | undefined;
  latencyMs: number;
  stats: { calls: Record<string, number>; requests: number; rateLimited: number };
  baseUrl: () => string;
  /** `POST /__emulator/reset`. */
  reset: (seed?: 'demo' | 'empty') => Promise<void>;
  statsSnapshot: () => EmulatorStats;
}

class Dropped extends Error {}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const bytes = body instanceof RawJson ? body.bytes() : Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': bytes.length,
    'x-notion-request-id': requestId,
    ...headers,
  });
  res.end(bytes);
}

function errorBody(e: NotionApiError, requestId: string): JsonObject {
  return {
    object: 'error',
    status: e.status,
    code: e.code,
    message: e.message,
    request_id: requestId,
    ...(e.additionalData ? { additional_data: e.additionalData } : {}),
  };
}

/**
 * Reads the whole body. Over `MAX_PAYLOAD_BYTES` the socket is still drained, then the request refused.
 * (Stream events rather than `for await`: the async iterator costs more than the rest of a cached query.)
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (size > MAX_PAYLOAD_BYTES) {
        reject(
          validationError(
            `body failed validation: the request body is ${size} bytes, more than the limit of \`${MAX_PAYLOAD_BYTES}\` bytes.`,
          ),
        );
      } else
        resolve(
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
        );
    });
  });
}

function parseJsonBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotionApiError(400, 'invalid_json', 'Error parsing JSON body.');
  }
  if (!isObject(parsed))
    throw validationError(
      `body failed validation: body should be an object, instead was \`${JSON.stringify(parsed)}\`.`,
    );
  return parsed;
}

/** The request listener: control routes, then auth → version → rate limit → faults → latency → handler. */
export function requestListener(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = randomUUID();
    handle(ctx, req, res, requestId).catch((e: unknown) => {
      if (e instanceof Dropped) return;
      if (res.headersSent || res.destroyed) return;
      const err =
        e instanceof NotionApiError
          ? e
          : new NotionApiError(500, 'internal_server_error', 'Unexpected error occurred.');
      if (!(e instanceof NotionApiError)) console.error('notion-sync emulator: unexpected error', e);
      send(res, err.status, errorBody(err, requestId), requestId, err.headers);
    });
  };
}

async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://emulator');
  const path = url.pathname.replace(/\/{2,}/g, '/');
  const method = (req.method ?? 'GET').toLowerCase();
  if (path.startsWith('/__emulator/')) {
    await control(ctx, path.slice('/__emulator/'.length), method, req, res, requestId);
    return;
  }
  if (!path.startsWith('/v1/')) throw new NotionApiError(400, 'invalid_request_url', 'Invalid request URL.');
  const match = matchEndpoint(method, path.slice(4));
  if (!match) {
    await readBody(req);
    throw new NotionApiError(400, 'invalid_request_url', 'Invalid request URL.');
  }
  const name = match.endpoint.name;
  ctx.stats.requests++;
  ctx.stats.calls[name] = (ctx.stats.calls[name] ?? 0) + 1;

  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer (.+)$/i.exec(auth)?.[1]?.trim();
  if (!bearer || (ctx.token !== undefined && bearer !== ctx.token)) {
    throw new NotionApiError(401, 'unauthorized', 'API token is invalid.');
  }
  const versionHeader = req.headers['notion-version'];
  if (versionHeader === undefined) {
    throw new NotionApiError(
      400,
      'missing_version',
      'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
    );
  }
  const version = String(versionHeader) as NotionVersion;
  if (!SUPPORTED_NOTION_VERSIONS.includes(version)) {
    throw validationError(
      `Notion-Version header failed validation: Notion-Version header should be one of ${SUPPORTED_NOTION_VERSIONS.map((v) => `"${v}"`).join(', ')}, instead was \`"${version}"\`.`,
    );
  }
  if (ctx.limiter) {
    const wait = ctx.limiter.take(bearer);
    if (wait > 0) {
      ctx.stats.rateLimited++;
      throw new NotionApiError(
        429,
        'rate_limited',
        'You have been rate limited. Please try again in a few minutes.',
        { rate_limit_reason: 'public_api_request_rate_limit' },
        { 'retry-after': String(wait) },
      );
    }
  }

  let commitThenDrop = false;
  const fault = ctx.faults.pick(name, method);
  if (fault) {
    switch (fault.kind) {
      case 'error':
        await readBody(req);
        throw faultError(fault);
      case 'delay':
        await ctx.clock.sleep(fault.ms);
        break;
      case 'drop':
        req.socket.destroy();
        throw new Dropped();
      case 'commitThenDrop':
        commitThenDrop = true;
        break;
    }
  }
  if (ctx.latencyMs > 0) await ctx.clock.sleep(ctx.latencyMs);

  const body =
    method === 'post' || method === 'patch' ? parseJsonBody(await readBody(req)) : (await readBody(req), {});
  const handler = handlers[name];
  if (!handler) throw new NotionApiError(400, 'invalid_request', `Unsupported request: ${name}.`);
  const result = handler({
    params: match.params,
    query: url.searchParams,
    body,
    version,
    ws: ctx.ws,
    runner: ctx.runner,
    render: renderer(ctx.ws, version),
    baseUrl: ctx.baseUrl(),
  });
  if (commitThenDrop) {
    req.socket.destroy();
    throw new Dropped();
  }
  send(res, 200, result, requestId);
}

async function control(
  ctx: ServerContext,
  route: string,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const text = await readBody(req);
  if (route === 'stats' && method === 'get') return send(res, 200, ctx.statsSnapshot(), requestId);
  if (route === 'faults' && method === 'get') return send(res, 200, { faults: ctx.faults.list() }, requestId);
  if (route === 'faults' && method === 'post') {
    const body = parseJsonBody(text);
    const rules = (Array.isArray(body.faults) ? body.faults : [body]) as FaultRule[];
    const ids = rules.map((r) => ctx.faults.add(r));
    return send(res, 200, { ids }, requestId);
  }
  if (route === 'faults' && method === 'delete') {
    ctx.faults.clear();
    return send(res, 200, { cleared: true }, requestId);
  }
  const one = /^faults\/([^/]+)$/.exec(route);
  if (one && method === 'delete')
    return send(res, 200, { removed: ctx.faults.remove(one[1] as string) }, requestId);
  if (route === 'reset' && method === 'post') {
    const body = parseJsonBody(text);
    const seed =
      body.seed === 'demo'
        ? 'demo'
        : body.seed === 'empty' || body.seed === undefined
          ? body.seed
          : undefined;
    if (body.seed !== undefined && seed === undefined)
      throw validationError('body failed validation: body.seed should be `"demo"` or `"empty"`.');
    await ctx.reset(seed);
    return send(res, 200, { reset: true, root_page_id: ctx.ws.rootPageId ?? null }, requestId);
  }
  throw new NotionApiError(400, 'invalid_request_url', 'Invalid request URL.');
}
