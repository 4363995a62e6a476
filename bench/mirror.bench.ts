/**
 * Mirror benchmark (issue "mirror"): how many API calls, how close to the rate limit, and how fast the local
 * ingest is, against the emulator. Prints ratios measured in this run, never pass/fail on absolute times:
 *
 * 1. API calls of a backfill ÷ the minimum (goal ≤ 1.02). Minimum = ceil(rows / 100) queries, plus with
 *    bodies one `blocks.children.list` per page and per nested block with children. Once for ROWS rows
 *    without bodies (the emulator's default 10,000-row query cap), once for BODY_ROWS rows with bodies.
 * 2. A no-op delta after it: its calls (goal: one query per data source) and which endpoints. The rows are
 *    created on an emulated clock two hours back: a delta re-reads the rows edited in its overlap window
 *    (the minutes before the previous run, docs/mirror.md), so rows created seconds before the backfill
 *    would make the first delta re-read them (⌈rows/100⌉ queries, bodies untouched), by design.
 * 3. Achieved request rate ÷ the rate limit during a backfill with bodies when every call takes LATENCY ms
 *    (emulator and gateway both at RATE req/s; goal ≥ 0.9).
 * 4. Ingest throughput, with the emulator in its own process (`bench/emulator-server.ts`, so its CPU is not
 *    measured as ours; no latency, no bodies): rows/s of `runMirror` ÷ rows/s of a raw better-sqlite3 loop
 *    inserting the same pages' JSON into the same schema (one transaction per 100-row page), and the peak
 *    RSS and heap of this process during the run. Beside it: `runMirror` again on the answers the first run
 *    recorded (no emulator, no network: the mirror's own cost, response parsing included) ÷ raw insert; the
 *    rows/s of only reading the same pages over HTTP; `runMirror` ÷ (read + raw insert); and the ingest path
 *    alone on pre-fetched pages (`readPageRow` + `upsertPages` per 100 rows, as the mirror's batches) ÷ raw
 *    insert. Each in wall time and in this process's CPU time (the machine may be shared).
 *
 * Run: `npx tsx bench/mirror.bench.ts` (env: ROWS=5000 BODY_ROWS=200 RATE=10 LATENCY=200 RATE_ROWS=120
 * INGEST_ROWS=20000; INGEST_ROWS=100000 for the big run; SECTIONS=calls,rate,ingest picks sections).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFullPage, type PageObjectResponse } from '@notionhq/client';
import BetterSqlite3 from 'better-sqlite3';
import { startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import { textRun } from '../src/emulator/rich-text.js';
import { ManualClock } from '../src/manual-clock.js';
import { runMirror } from '../src/mirror/run-mirror.js';
import type { MirrorRunOutcome } from '../src/mirror/mirror-options.js';
import { createGateway } from '../src/notion/create-gateway.js';
import { openStore } from '../src/store/open-store.js';
import { pageTitle, readPageRow } from '../src/mirror/read-page.js';
import { emulatorProcess, endpointCalls, loadAverage, recordedFetch } from './support.js';

const ROWS = Number(process.env['ROWS'] ?? 5_000);
const BODY_ROWS = Number(process.env['BODY_ROWS'] ?? 200);
const RATE = Number(process.env['RATE'] ?? 10);
const LATENCY_MS = Number(process.env['LATENCY'] ?? 200);
const RATE_ROWS = Number(process.env['RATE_ROWS'] ?? 120);
const INGEST_ROWS = Number(process.env['INGEST_ROWS'] ?? 20_000);
const SECTIONS = (process.env['SECTIONS'] ?? 'calls,rate,ingest').split(',');
/** Pages of results read before the ingest figures, to warm the emulator process up. */
const WARM_PAGES = 20;
/** Rows per query page (Notion's maximum page_size). */
const PAGE_SIZE = 100;
/** Rows created per emulated minute: below the 10,000-row cap, so the cap splitting works per minute. */
const ROWS_PER_MINUTE = 5_000;
const MINUTE_MS = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'mirror-bench-'));
let tokenSeq = 0;

type Gateway = ReturnType<typeof createGateway>;

interface Fixture {
  readonly em: EmulatorHandle;
  readonly gateway: Gateway;
  readonly dataSourceId: string;
  readonly databaseId: string;
}

const text = (content: string): { text: { content: string } }[] => [{ text: { content } }];

/** An emulator with one database; the gateway paces at `rate` (or without practical limit). */
async function fixture(options: {
  rate?: number;
  latencyMs?: number;
  clock?: ManualClock;
}): Promise<Fixture> {
  const em = await startEmulator({
    port: 0,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    ...(options.rate === undefined
      ? {}
      : { rateLimit: { requestsPerSecond: options.rate, burst: options.rate } }),
  });
  // A token per emulator: the gateway's pacer is shared per token across the process.
  const token = `ntn_bench_mirror_${++tokenSeq}_000000000000`;
  const gateway = createGateway({
    token,
    baseUrl: em.url,
    // Paced at the limit with the gateway's default burst when limited, as in bench/gateway-rate.bench.ts.
    ...(options.rate === undefined
      ? { requestsPerSecond: 100_000, burst: 1_000 }
      : { requestsPerSecond: options.rate }),
  });
  const db = await gateway.client.databases.create({
    parent: { type: 'page_id', page_id: em.rootPageId ?? '' },
    title: text('Bench'),
    initial_data_source: {
      properties: {
        Name: { title: {} },
        N: { number: {} },
        Status: { select: { options: [{ name: 'Open' }, { name: 'Done' }] } },
        Tags: { multi_select: { options: [{ name: 'a' }, { name: 'b' }] } },
      },
    },
  });
  const dataSourceId = 'data_sources' in db ? (db.data_sources[0]?.id ?? '') : '';
  return { em, gateway, dataSourceId, databaseId: db.id };
}

function rowProperties(i: number): Record<string, unknown> {
  return {
    Name: { title: text(`Row ${i}`) },
    N: { number: i },
    Status: { select: { name: i % 2 === 0 ? 'Open' : 'Done' } },
    Tags: { multi_select: i % 3 === 0 ? [{ name: 'a' }, { name: 'b' }] : [{ name: 'a' }] },
  };
}

/** Bulk rows without HTTP (no bodies), `ROWS_PER_MINUTE` per emulated minute when a clock is given. */
function bulkRows(f: Fixture, count: number, clock?: ManualClock): void {
  for (let i = 0; i < count; i++) {
    if (clock !== undefined && i % ROWS_PER_MINUTE === 0) clock.set(clock.now() + MINUTE_MS);
    f.em.workspace.createPage(
      { parent: { data_source_id: f.dataSourceId }, properties: rowProperties(i) },
      [],
    );
  }
}

/**
 * Rows with bodies, over HTTP: two paragraphs, a toggle with a nested paragraph (a nested block with
 * children: one more children call), and every fourth row without a body. Returns the minimum calls the
 * bodies need: one children list per page plus one per block with children.
 */
async function bodyRows(f: Fixture, count: number): Promise<number> {
  let bodyCalls = 0;
  for (let i = 0; i < count; i++) {
    const children =
      i % 4 === 3
        ? []
        : [
            { paragraph: { rich_text: text(`First paragraph of row ${i}.`) } },
            { paragraph: { rich_text: text('Second paragraph, a little longer than the first one.') } },
            {
              toggle: {
                rich_text: text('Details'),
                children: [{ paragraph: { rich_text: text(`Nested detail ${i}`) } }],
              },
            },
          ];
    await f.gateway.client.pages.create({
      parent: { data_source_id: f.dataSourceId },
      // The SDK's request types are narrower than this plain JSON; the emulator validates it.
      properties: rowProperties(i) as never,
      children: children as never,
    });
    bodyCalls += 1 + (children.length === 0 ? 0 : 1);
  }
  return bodyCalls;
}

async function mirrorOnce(
  f: Pick<Fixture, 'gateway' | 'databaseId'> & { em?: EmulatorHandle },
  storeFile: string,
  options: { bodies: boolean; bodyConcurrency?: number },
): Promise<{ outcome: MirrorRunOutcome; endpoints: string; seconds: number; rateLimited: number }> {
  const store = await openStore(`sqlite:${storeFile}`);
  try {
    const before = f.gateway.metrics.snapshot();
    const limitedBefore = f.em?.stats().rateLimited ?? 0;
    const started = performance.now();
    const outcome = await runMirror({
      store,
      gateway: f.gateway,
      sources: [f.databaseId],
      bodies: options.bodies,
      ...(options.bodyConcurrency === undefined ? {} : { bodyConcurrency: options.bodyConcurrency }),
    });
    const seconds = (performance.now() - started) / 1_000;
    if (outcome.status !== 'succeeded') {
      throw new Error(`mirror ${outcome.status}: ${JSON.stringify(outcome.error ?? outcome.dataSources)}`);
    }
    return {
      outcome,
      endpoints: endpointCalls(before, f.gateway.metrics.snapshot()),
      seconds,
      rateLimited: (f.em?.stats().rateLimited ?? 0) - limitedBefore,
    };
  } finally {
    await store.close();
  }
}

const fmt = (n: number, digits = 3): string => n.toFixed(digits);

async function callsSection(): Promise<void> {
  // 1a. No bodies, ROWS rows.
  {
    const clock = new ManualClock(Date.now() - 2 * 60 * MINUTE_MS);
    const f = await fixture({ clock });
    try {
      bulkRows(f, ROWS, clock);
      const file = join(dir, 'calls-nobody.db');
      const first = await mirrorOnce(f, file, { bodies: false });
      const minimum = Math.ceil(ROWS / PAGE_SIZE);
      console.log(
        `backfill, ${ROWS} rows, no bodies: ${first.outcome.apiCalls} calls / minimum ${minimum} = ` +
          `${fmt(first.outcome.apiCalls / minimum)} (goal ≤ 1.02) [${first.endpoints}]`,
      );
      const delta = await mirrorOnce(f, file, { bodies: false });
      console.log(
        `no-op delta after it: ${delta.outcome.apiCalls} calls for 1 data source (goal 1 query) ` +
          `[${delta.endpoints}]; counts ${JSON.stringify(delta.outcome.counts)}`,
      );
    } finally {
      await f.em.stop();
    }
  }
  // 1b. With bodies, BODY_ROWS rows (created two hours back: see 2. in the header).
  {
    const f = await fixture({ clock: new ManualClock(Date.now() - 2 * 60 * MINUTE_MS) });
    try {
      const bodyCalls = await bodyRows(f, BODY_ROWS);
      const file = join(dir, 'calls-bodies.db');
      const first = await mirrorOnce(f, file, { bodies: true });
      const minimum = Math.ceil(BODY_ROWS / PAGE_SIZE) + bodyCalls;
      console.log(
        `backfill, ${BODY_ROWS} rows with bodies: ${first.outcome.apiCalls} calls / minimum ${minimum} ` +
          `(${Math.ceil(BODY_ROWS / PAGE_SIZE)} queries + ${bodyCalls} children lists) = ` +
          `${fmt(first.outcome.apiCalls / minimum)} (goal ≤ 1.02) [${first.endpoints}]`,
      );
      const delta = await mirrorOnce(f, file, { bodies: true });
      console.log(
        `no-op delta after it (bodies on): ${delta.outcome.apiCalls} calls (goal 1 query) [${delta.endpoints}]; ` +
          `counts ${JSON.stringify(delta.outcome.counts)}`,
      );
    } finally {
      await f.em.stop();
    }
  }
}

async function rateSection(): Promise<void> {
  const slow = await fixture({ rate: RATE, latencyMs: LATENCY_MS });
  try {
    await bodyRowsDirect(slow, RATE_ROWS);
    const inFlight = Math.ceil((RATE * LATENCY_MS) / 1_000) * 4 + 2;
    const run = await mirrorOnce(slow, join(dir, 'rate.db'), { bodies: true, bodyConcurrency: inFlight });
    const achieved = run.outcome.apiCalls / run.seconds;
    console.log(
      `backfill with bodies at ${LATENCY_MS} ms latency, limit ${RATE} req/s, bodyConcurrency ${inFlight}: ` +
        `${run.outcome.apiCalls} calls in ${fmt(run.seconds, 1)} s = ${fmt(achieved, 2)} req/s; ` +
        `achieved ÷ limit = ${fmt(achieved / RATE)} (goal ≥ 0.9); 429s: ${run.rateLimited}`,
    );
  } finally {
    await slow.em.stop();
  }
}

/**
 * Rows with bodies built from the emulator's block drafts directly (no HTTP, so no latency or rate limit
 * while seeding): a paragraph and a toggle with a nested paragraph per row.
 */
async function bodyRowsDirect(f: Fixture, count: number): Promise<void> {
  const rich = textRun;
  for (let i = 0; i < count; i++) {
    f.em.workspace.createPage({ parent: { data_source_id: f.dataSourceId }, properties: rowProperties(i) }, [
      { type: 'paragraph', payload: { rich_text: rich(`Paragraph ${i}`), color: 'default' }, children: [] },
      {
        type: 'toggle',
        payload: { rich_text: rich('Details'), color: 'default' },
        children: [
          { type: 'paragraph', payload: { rich_text: rich(`Nested ${i}`), color: 'default' }, children: [] },
        ],
      },
    ] as never);
  }
}

async function ingestSection(): Promise<void> {
  const server = await emulatorProcess(INGEST_ROWS, ROWS_PER_MINUTE);
  try {
    const unpaced = { baseUrl: server.url, requestsPerSecond: 100_000, burst: 1_000 };
    const gatewayWith = (fetch?: typeof globalThis.fetch): Fixture['gateway'] =>
      createGateway({
        token: `ntn_bench_mirror_${++tokenSeq}_000000000000`,
        ...unpaced,
        ...(fetch === undefined ? {} : { fetch }),
      });
    const gateway = gatewayWith();
    const source = { gateway, databaseId: server.dataSourceId };
    const readAll = (): ReturnType<typeof gateway.queryDataSourceAll> =>
      gateway.queryDataSourceAll({ data_source_id: server.dataSourceId, page_size: PAGE_SIZE });
    // A first read of WARM_PAGES pages, not measured, warms the emulator process up (JIT, its query
    // snapshot), so that it is not counted against whichever is measured first.
    let warm = 0;
    for await (const _page of readAll()) if (++warm >= WARM_PAGES) break;
    // A whole runMirror into a throwaway store, not measured, recording the answers for the replay below:
    // each path is then measured warm (a first run in a process pays for compiling our code).
    const recorder = recordedFetch();
    await mirrorOnce(
      { gateway: gatewayWith(recorder.record), databaseId: server.dataSourceId },
      join(dir, 'rec.db'),
      { bodies: false },
    );

    // runMirror, its peak memory sampled (the emulator's is in the other process).
    // The recorded answers of the warm-up run stay in memory (for the replay): counted in "before it".
    global.gc?.();
    const rssAtStart = process.memoryUsage().rss;
    const heapAtStart = process.memoryUsage().heapUsed;
    let peakRss = rssAtStart;
    let peakHeap = heapAtStart;
    const sample = (): void => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const sampler = setInterval(sample, 20);
    let run: Awaited<ReturnType<typeof mirrorOnce>> | undefined;
    const mirrorCost = await measure(async () => {
      run = await mirrorOnce(source, join(dir, 'ingest.db'), { bodies: false });
    });
    clearInterval(sampler);
    sample();

    // runMirror again, into a fresh store, on the answers recorded by the warm-up run: no emulator, no
    // network.
    const replayed = { gateway: gatewayWith(recorder.replay), databaseId: server.dataSourceId };
    const replayCost = await measure(async () => {
      await mirrorOnce(replayed, join(dir, 'ingest-replayed.db'), { bodies: false });
    });

    // The same pages over HTTP (timed alone), kept for the raw loop and the ingest path.
    const pages: PageObjectResponse[][] = [];
    const readCost = await measure(async () => {
      for await (const page of readAll()) pages.push(page.results.filter((r) => isFullPage(r)));
    });
    const rows = pages.reduce((n, p) => n + p.length, 0);

    // The raw loop: the same page JSON into the same schema, one transaction per 100-row page.
    const rawFile = join(dir, 'raw.db');
    await (await openStore(`sqlite:${rawFile}`)).close();
    const db = new BetterSqlite3(rawFile);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.prepare(
      `insert into data_sources (id, database_id, title, schema) values (?, null, 'Bench', '{}')`,
    ).run(server.dataSourceId);
    const insertPage = db.prepare(
      `insert into pages (id, data_source_id, properties, title, created_time, last_edited_time, in_trash,
         content_hash, body_markdown, body_json, body_hash, version, deleted_at, deleted_reason, first_seen_at, last_seen_at)
       values (?, ?, ?, ?, ?, ?, 0, ?, null, null, null, 1, null, null, ?, ?)`,
    );
    const insertVersion = db.prepare(
      `insert into page_versions (page_id, version, observed_at, change_kind, properties, body_hash, changed_properties, run_id)
       values (?, 1, ?, 'created', ?, null, '[]', null)`,
    );
    const now = new Date().toISOString();
    const writeBatch = db.transaction((batch: PageObjectResponse[]) => {
      for (const p of batch) {
        const json = JSON.stringify(p.properties);
        const title = pageTitle(p);
        insertPage.run(
          p.id,
          server.dataSourceId,
          json,
          title,
          p.created_time,
          p.last_edited_time,
          p.last_edited_time,
          now,
          now,
        );
        insertVersion.run(p.id, now, json);
      }
    });
    const rawCost = await measure(async () => {
      for (const batch of pages) writeBatch(batch);
    });
    db.close();

    // The ingest path alone on the pre-fetched pages: codecs, hash, upsert with versions, per 100 rows.
    const store = await openStore(`sqlite:${join(dir, 'ingest-path.db')}`);
    let pathCost: Cost;
    try {
      await store.replica.upsertDataSource({ id: server.dataSourceId, title: 'Bench', schema: {} });
      pathCost = await measure(async () => {
        for (const batch of pages) {
          const inputs = await Promise.all(batch.map((r) => readPageRow(gateway, r, server.dataSourceId)));
          await store.transaction((tx) => tx.replica.upsertPages(inputs));
        }
      });
    } finally {
      await store.close();
    }

    const rate = (c: Cost): string =>
      `${fmt(rows / c.seconds, 0)} rows/s (${fmt(rows / c.cpuSeconds, 0)} per CPU s)`;
    const mb = (bytes: number): string => fmt(bytes / 2 ** 20, 0);
    const both = (ours: Cost, base: Cost): string =>
      `${fmt(base.seconds / ours.seconds)} (CPU time of this process: ${fmt(base.cpuSeconds / ours.cpuSeconds)})`;
    const readAndRaw = {
      seconds: readCost.seconds + rawCost.seconds,
      cpuSeconds: readCost.cpuSeconds + rawCost.cpuSeconds,
    };
    console.log(
      `ingest, ${rows} rows, no bodies, emulator in its own process; load average ${loadAverage()}:\n` +
        `  runMirror ${rate(mirrorCost)}; runMirror on recorded answers ${rate(replayCost)}; ` +
        `raw better-sqlite3 insert ${rate(rawCost)}; HTTP read only ${rate(readCost)}; ` +
        `ingest path on pre-fetched pages ${rate(pathCost)}`,
    );
    console.log(
      `  runMirror ÷ raw insert = ${both(mirrorCost, rawCost)} (goal ≥ 0.5); ` +
        `runMirror on recorded answers ÷ raw insert = ${both(replayCost, rawCost)}; ` +
        `ingest path ÷ raw insert = ${both(pathCost, rawCost)}; ` +
        `runMirror ÷ (HTTP read + raw insert) = ${both(mirrorCost, readAndRaw)}`,
    );
    console.log(
      `  peak RSS during runMirror ${mb(peakRss)} MB (${mb(rssAtStart)} MB before it), peak heap ${mb(peakHeap)} MB (${mb(heapAtStart)} MB before it); ` +
        `${run?.outcome.apiCalls ?? 0} API calls`,
    );
  } finally {
    server.child.kill('SIGTERM');
  }
}

/** Wall and CPU time (this process: user + system) of one measured step. */
interface Cost {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

async function measure(step: () => Promise<void>): Promise<Cost> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await step();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1_000, cpuSeconds: (used.user + used.system) / 1e6 };
}

async function main(): Promise<void> {
  console.log(`mirror bench; load average ${loadAverage()}`);
  try {
    if (SECTIONS.includes('calls')) await callsSection();
    if (SECTIONS.includes('rate')) await rateSection();
    if (SECTIONS.includes('ingest')) await ingestSection();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`load average at the end: ${loadAverage()}`);
}

await main();
