/**
 * Emulator throughput and memory, on loopback with the official SDK client:
 *  - queries of 100-row pages over a 25,000-row data source (requests/s, several concurrent clients),
 *  - page property updates (requests/s),
 *  - RSS and heap growth for 100,000 pages.
 * Run: `npx tsx bench/emulator.bench.ts` (set BENCH_PAGES to change the memory sample size).
 */
import { Client, type PageObjectResponse } from '@notionhq/client';
import { startEmulator } from '../src/emulator/index.js';

const ROWS = 25_000;
const MEMORY_PAGES = Number(process.env.BENCH_PAGES ?? 100_000);
const DURATION_MS = 3_000;
const CONCURRENCY = 8;

async function throughput(label: string, call: (i: number) => Promise<unknown>): Promise<number> {
  let n = 0;
  const deadline = performance.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) await call(n++);
    }),
  );
  const rate = n / ((performance.now() - started) / 1000);
  console.log(`${label}: ${rate.toFixed(0)} req/s (${n} requests, ${CONCURRENCY} concurrent)`);
  return rate;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const em = await startEmulator();
  const notion = new Client({ auth: 'secret_bench', baseUrl: em.url, retry: false });
  const db = await notion.databases.create({
    parent: { type: 'page_id', page_id: em.rootPageId as string },
    title: [{ text: { content: 'Bench' } }],
    initial_data_source: { properties: { Name: { title: {} }, N: { number: {} }, Tag: { select: {} }, Done: { checkbox: {} } } },
  });
  const ds = ('data_sources' in db && db.data_sources[0]!.id) as string;
  let t = performance.now();
  for (let i = 0; i < ROWS; i++) {
    em.workspace.createPage(
      { parent: { data_source_id: ds }, properties: { Name: { title: [{ text: { content: `row ${i}` } }] }, N: { number: i }, Tag: { select: { name: `t${i % 5}` } }, Done: { checkbox: i % 2 === 0 } } },
      [],
    );
  }
  console.log(`seeded ${ROWS} rows in ${(performance.now() - t).toFixed(0)} ms (in process)`);

  // Cursors for 100-row pages across the whole data source.
  const cursors: (string | undefined)[] = [undefined];
  t = performance.now();
  for (;;) {
    const res = await notion.dataSources.query({ data_source_id: ds, page_size: 100, ...(cursors.at(-1) ? { start_cursor: cursors.at(-1) } : {}) });
    if (!res.next_cursor) break;
    cursors.push(res.next_cursor);
  }
  console.log(`first full scan: ${cursors.length} pages of 100 in ${(performance.now() - t).toFixed(0)} ms`);
  await throughput('query, 100-row pages', (i) => {
    const c = cursors[i % cursors.length];
    return notion.dataSources.query({ data_source_id: ds, page_size: 100, ...(c ? { start_cursor: c } : {}) });
  });
  const firstPage = await notion.dataSources.query({ data_source_id: ds, page_size: 100 });
  const ids = (firstPage.results as PageObjectResponse[]).map((p) => p.id);
  await throughput('pages.update (one number property)', (i) => notion.pages.update({ page_id: ids[i % ids.length]!, properties: { N: { number: i } } }));
  await throughput('pages.retrieve', (i) => notion.pages.retrieve({ page_id: ids[i % ids.length]! }));
  await em.stop();

  // Memory: a fresh emulator with MEMORY_PAGES rows.
  global.gc?.();
  const before = process.memoryUsage();
  const mem = await startEmulator();
  const mdb = mem.workspace.createDatabase(
    { parent: { type: 'page_id', page_id: mem.rootPageId }, initial_data_source: { properties: { Name: { title: {} }, N: { number: {} }, Tag: { select: {} }, Done: { checkbox: {} } } } },
    '2025-09-03',
  );
  t = performance.now();
  for (let i = 0; i < MEMORY_PAGES; i++) {
    mem.workspace.createPage(
      { parent: { data_source_id: mdb.dataSourceIds[0] }, properties: { Name: { title: [{ text: { content: `row ${i}` } }] }, N: { number: i }, Tag: { select: { name: `t${i % 5}` } }, Done: { checkbox: i % 2 === 0 } } },
      [],
    );
  }
  global.gc?.();
  const after = process.memoryUsage();
  console.log(
    `memory for ${MEMORY_PAGES} pages: RSS +${mb(after.rss - before.rss)}, heap +${mb(after.heapUsed - before.heapUsed)} ` +
      `(${((after.heapUsed - before.heapUsed) / MEMORY_PAGES).toFixed(0)} B/page heap; created in ${(performance.now() - t).toFixed(0)} ms)`,
  );
  await mem.stop();
}

await main();
