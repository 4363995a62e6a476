import type { DemoWorkspaceInfo } from './seed/demo-seed.js';
/**
 * A faithful, stateful Notion API emulator (package subpath `notion-sync/emulator`). It answers the
 * official `@notionhq/client` as api.notion.com would for the endpoints notion-sync uses; see
 * docs/emulator.md for every modelled behaviour and its source.
 *
 * ### Examples
 * ```ts
 * import { Client } from '@notionhq/client';
 * import { startEmulator } from 'notion-sync/emulator';
 *
 * const emulator = await startEmulator({ port: 0 });
 * const notion = new Client({ auth: 'secret_test', baseUrl: emulator.url });
 * const page = await notion.pages.create({
 *   parent: { page_id: emulator.rootPageId! },
 *   properties: { title: [{ text: { content: 'Hello' } }] },
 * });
 * await emulator.stop();
 * ```
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../system-clock.js';
import type { ActiveFault, EmulatorOptions, EmulatorStats, FaultRule } from './emulator-options.js';
import { FaultInjector } from './fault-injector.js';
import type { JsonObject } from './json.js';
import { loadSnapshot, Persister } from './persistence.js';
import { QueryRunner } from './query-runner.js';
import { RateLimiter } from './rate-limiter.js';
import { seedDemo, seedEmptyWorkspace } from './seed-workspace.js';
import { requestListener, type ServerContext } from './server.js';
import { type NewUser, Workspace } from './workspace.js';
import { QUERY_RESULT_CAP } from '../notion/limits.js';

export type {
  ActiveFault,
  EmulatorOptions,
  EmulatorStats,
  FaultAction,
  FaultRule,
  RateLimitOptions,
} from './emulator-options.js';
export type { NewUser } from './workspace.js';
export { Workspace } from './workspace.js';
export { ROOT_PAGE_TITLE, SEED_USERS } from './seed-workspace.js';

/** A running emulator. */
export interface EmulatorHandle {
  /** Base URL for `new Client({ baseUrl })`: `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** The token the emulator requires, when `options.token` was set. */
  readonly token: string | undefined;
  /** Id of the seeded root page "notion-sync workspace" (parent for databases and pages in tests). */
  readonly rootPageId: string | undefined;
  /** Id of the integration's bot user (`users.me`, `created_by`). */
  readonly botId: string;
  /** What the demo seed returned, when `seed: 'demo'` ran it. */
  readonly demo: DemoWorkspaceInfo | undefined;
  /** Direct read access to the state, for assertions that do not go through HTTP. Do not mutate. */
  readonly workspace: Workspace;
  /** Stops the server (open connections are closed) and writes the state file if persisting. */
  stop(): Promise<void>;
  /** Fault rules: programmatic twin of `/__emulator/faults`. */
  readonly faults: {
    add(rule: FaultRule): string;
    remove(id: string): boolean;
    clear(): void;
    list(): ActiveFault[];
  };
  stats(): EmulatorStats;
  /** Empties the workspace and seeds it again (`'empty'` unless given). Faults and rate buckets are cleared. */
  reset(seed?: 'demo' | 'empty'): Promise<void>;
  /** Adds a person user. */
  createUser(user: NewUser): JsonObject;
  /** Marks a page as not shared with the integration (every endpoint then answers 404 for it). */
  setUnshared(pageId: string, unshared: boolean): void;
}

/** Starts an emulator on `options.port` (0 = a free port) of `options.host`. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const clock = options.clock ?? systemClock;
  const ws = new Workspace(clock, options.consistencyLagMs ?? 0);
  const runner = new QueryRunner(ws, options.queryResultCap ?? QUERY_RESULT_CAP);
  const faults = new FaultInjector();
  const rl = options.rateLimit;
  const limiter =
    rl === undefined || rl === false
      ? undefined
      : new RateLimiter(typeof rl === 'number' ? { requestsPerSecond: rl } : rl, clock);
  const stats = { calls: {} as Record<string, number>, requests: 0, rateLimited: 0 };
  let url = '';
  let demo: DemoWorkspaceInfo | undefined;
  const seedToken = options.token ?? 'emulator-seed';

  const statsSnapshot = (): EmulatorStats => ({
    calls: { ...stats.calls },
    requests: stats.requests,
    rateLimited: stats.rateLimited,
    faultsFired: faults.fired,
    ...ws.counts(),
  });

  const ctx: ServerContext = {
    ws,
    runner,
    faults,
    limiter,
    clock,
    token: options.token,
    latencyMs: options.latencyMs ?? 0,
    stats,
    baseUrl: () => url,
    statsSnapshot,
    reset: async (seed) => {
      ws.clear();
      runner.clear();
      faults.clear();
      limiter?.reset();
      await seedAll(seed ?? 'empty');
    },
  };

  // Seeding goes through HTTP without the configured latency, limits and faults.
  const seedAll = async (seed: 'demo' | 'empty'): Promise<void> => {
    seedEmptyWorkspace(ws);
    if (seed !== 'demo') return;
    const saved = { limiter: ctx.limiter, latency: ctx.latencyMs, faults: faults.list() };
    ctx.limiter = undefined;
    ctx.latencyMs = 0;
    faults.clear();
    try {
      demo = await seedDemo(url, seedToken, ws.rootPageId);
    } finally {
      ctx.limiter = saved.limiter;
      ctx.latencyMs = saved.latency;
      for (const f of saved.faults) {
        const { id: _id, fired: _fired, ...rule } = f;
        faults.add(rule as FaultRule);
      }
    }
  };

  const server = createServer({ keepAlive: true }, requestListener(ctx));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  url = `http://${host}:${addr.port}`;

  const persister = options.persistPath
    ? new Persister(options.persistPath, () => ws.snapshot(), clock, options.persistDebounceMs ?? 200)
    : undefined;
  const restored = options.persistPath ? await loadSnapshot(options.persistPath) : undefined;
  try {
    if (restored) ws.restore(restored);
    else await seedAll(options.seed ?? 'empty');
  } catch (e) {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    throw e;
  }
  for (const rule of options.faults ?? []) faults.add(rule);
  if (persister) {
    ws.onChange = () => persister.schedule();
    if (!restored) persister.schedule();
  }

  return {
    url,
    token: options.token,
    get rootPageId() {
      return ws.rootPageId;
    },
    get botId() {
      return ws.botId;
    },
    get demo() {
      return demo;
    },
    workspace: ws,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await persister?.flush();
    },
    faults: {
      add: (rule) => faults.add(rule),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    stats: statsSnapshot,
    reset: (seed) => ctx.reset(seed),
    createUser: (user) => ws.createUser(user),
    setUnshared: (pageId, unshared) => {
      const rec = ws.pages.get(pageId);
      if (!rec)
        throw new Error(`setUnshared: no page ${pageId} in the emulator; pass the id of a page it holds.`);
      rec.unshared = unshared;
      const ds = ws.dataSourceOf(rec.page);
      if (ds) ws.changes.rowChanged(ds, rec.page.id as string);
    },
  };
}
