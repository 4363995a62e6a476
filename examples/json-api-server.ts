/**
 * A tiny local JSON API for the example workers, their tests and demos. It serves collections of items
 * (objects with a string `id`):
 *
 * - `GET /<collection>?cursor=<n>&limit=<n>` → `{ items, nextCursor }` (offset pagination, `nextCursor: null` at the end)
 * - `GET /<collection>/changes?since=<seq>&limit=<n>` → `{ changes: [{ seq, type: 'upsert'|'delete', id, item? }], nextSince, hasMore }`
 *
 * Run it standalone with `npx tsx examples/json-api-server.ts` (prints its URL).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An item of a collection. */
export type ApiItem = { readonly id: string } & Record<string, unknown>;

/** One entry of a collection's change feed. */
export interface ApiChange {
  readonly seq: number;
  readonly type: 'upsert' | 'delete';
  readonly id: string;
  readonly item?: ApiItem;
}

export interface JsonApi {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** Creates or replaces an item (by `id`) and records it in the change feed. */
  upsert(collection: string, item: ApiItem): void;
  /** Removes an item and records a delete in the change feed. */
  remove(collection: string, id: string): void;
  /** Answers the next request with this status (and headers), e.g. 429 with `retry-after`. */
  failNext(status: number, headers?: Record<string, string>): void;
  /** Requests served so far (paths with query). */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

/** Default and maximum page size of the API. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/** Starts the API on 127.0.0.1, on a free port unless `port` is given. */
export async function startJsonApi(
  seed: Readonly<Record<string, readonly ApiItem[]>> = {},
  options: { port?: number } = {},
): Promise<JsonApi> {
  const collections = new Map<string, Map<string, ApiItem>>();
  const feeds = new Map<string, ApiChange[]>();
  let seq = 0;
  const requests: string[] = [];
  let failure: { status: number; headers: Record<string, string> } | undefined;

  const collection = (name: string): Map<string, ApiItem> => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = new Map()));
    return c;
  };
  const feed = (name: string): ApiChange[] => {
    let f = feeds.get(name);
    if (!f) feeds.set(name, (f = []));
    return f;
  };
  const upsert = (name: string, item: ApiItem): void => {
    collection(name).set(item.id, item);
    feed(name).push({ seq: ++seq, type: 'upsert', id: item.id, item });
  };
  for (const [name, items] of Object.entries(seed)) for (const item of items) upsert(name, item);

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname + url.search);
    if (failure) {
      const { status, headers } = failure;
      failure = undefined;
      send(res, status, { error: `injected ${status}` }, headers);
      return;
    }
    const limit = Math.min(
      MAX_LIMIT,
      Math.max(1, Number(url.searchParams.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT),
    );
    const parts = url.pathname.split('/').filter(Boolean);
    if (
      req.method !== 'GET' ||
      parts.length === 0 ||
      parts.length > 2 ||
      (parts[1] && parts[1] !== 'changes')
    ) {
      send(res, 404, { error: 'not found' });
      return;
    }
    const name = parts[0] as string;
    if (parts[1] === 'changes') {
      const since = Number(url.searchParams.get('since') ?? 0) || 0;
      const pending = feed(name).filter((c) => c.seq > since);
      const changes = pending.slice(0, limit);
      send(res, 200, {
        changes,
        nextSince: changes.length ? (changes[changes.length - 1] as ApiChange).seq : since,
        hasMore: pending.length > changes.length,
      });
      return;
    }
    const items = [...collection(name).values()];
    const cursor = Number(url.searchParams.get('cursor') ?? 0) || 0;
    const page = items.slice(cursor, cursor + limit);
    const next = cursor + page.length;
    send(res, 200, { items: page, nextCursor: next < items.length ? String(next) : null });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    upsert,
    remove(name, id) {
      collection(name).delete(id);
      feed(name).push({ seq: ++seq, type: 'delete', id });
    },
    failNext(status, headers = {}) {
      failure = { status, headers };
    },
    requests,
    stop: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** Demo data for the example workers. */
export function demoData(): Record<string, ApiItem[]> {
  const statuses = ['Open', 'In progress', 'Done'];
  return {
    issues: Array.from({ length: 25 }, (_, i) => ({
      id: `ISS-${i + 1}`,
      title: `Issue ${i + 1}`,
      status: statuses[i % 3] as string,
      points: i % 5,
      labels: i % 2 ? ['bug'] : ['feature', 'ui'],
      url: `https://issues.example.com/${i + 1}`,
      updatedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    })),
    projects: [
      { id: 'P-1', name: 'Website' },
      { id: 'P-2', name: 'Mobile app' },
    ],
    tasks: [
      { id: 'T-1', name: 'Design home page', projectId: 'P-1', blockedBy: [] },
      { id: 'T-2', name: 'Build home page', projectId: 'P-1', blockedBy: ['T-1'] },
      { id: 'T-3', name: 'App store listing', projectId: 'P-2', blockedBy: [] },
    ],
    notes: [
      {
        id: 'N-1',
        title: 'Meeting notes',
        body: '# Agenda\n\n- budget\n- hiring\n\nSee [the plan](https://example.com/plan).',
      },
      { id: 'N-2', title: 'Empty note', body: '' },
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const api = await startJsonApi(demoData(), { port: Number(process.env.PORT ?? 0) });
  console.log(`JSON API on ${api.url} (collections: issues, projects, tasks, notes)`);
}
