/**
 * Emulator throughput and memory, on loopback with the official SDK client:
 *  - queries of 100-row pages over a 25,000-row data source (requests/s, several concurrent clients), once
 *    through the SDK (whose JSON parsing of ~110 KB per answer usually limits the rate on a small machine)
 *    and once over raw keep-alive HTTP that reads the bytes without parsing them (the emulator's rate),
 *  - page property updates (requests/s),
 *  - queries with one write among every 10 requests: a write that leaves the order alone, and one that moves
 *    the row (the query sorts by the property written),
 *  - RSS and heap growth for 100,000 pages.
 * Run: `npx tsx bench/emulator.bench.ts` (set BENCH_PAGES to change the memory sample size).
 */
import { Client, type PageObjectResponse } from '@notionhq/client';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { startEmulator } from '../src/emulator/index.js';
import { emulatorProcess } from './support.js';

const ROWS = 25_000;
const MEMORY_PAGES = Number(process.env.BENCH_PAGES ?? 100_000);
const DURATION_MS = 3_000;
const WARM_UP_MS = 1_000;
const SDK_WARM_UP_MS = 9_000;
const CONCURRENCY = 8;

/** CPU time (ms) used so far by process `pid`, from /proc (Linux); `undefined` elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 ticks/s
  } catch {
    return undefined;
  }
}

let serverPid: number | undefined;

/** Calls `call` from CONCURRENCY loops for `ms`; resolves with the number of calls. */
async function callFor(ms: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let n = 0;
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) await call(n++);
    }),
  );
  return n;
}

async function throughput(
  label: string,
  call: (i: number) => Promise<unknown>,
  warmUpMs = WARM_UP_MS,
): Promise<number> {
  // Not measured: both processes compile the path and size their heaps first (the first path measured was
  // otherwise 35–45% low; the SDK's parsing of 110 KB answers took ~9 s to reach its steady rate).
  await callFor(warmUpMs, call);
  const cpuBefore = cpuMs(serverPid);
  const started = performance.now();
  const n = await callFor(DURATION_MS, call);
  const rate = n / ((performance.now() - started) / 1000);
  const cpuAfter = cpuMs(serverPid);
  const perRequest =
    cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / n;
  const capacity = perRequest
    ? ` — server CPU ${perRequest.toFixed(2)} ms/request ⇒ ≈ ${(1000 / perRequest).toFixed(0)} req/s per free core`
    : '';
  console.log(`${label}: ${rate.toFixed(0)} req/s (${n} requests, ${CONCURRENCY} concurrent)${capacity}`);
  return rate;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** POSTs `body` to `url` over a keep-alive socket and resolves with the answer's byte count (not parsed). */
function rawPost(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: 'Bearer secret_bench',
          'notion-version': '2025-09-03',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let n = 0;
        res.on('data', (d: Buffer) => (n += d.length));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(n) : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  let t = performance.now();
  const { url, dataSourceId: ds, child } = await emulatorProcess(ROWS);
  console.log(
    `emulator process seeded ${ROWS} rows in ${(performance.now() - t).toFixed(0)} ms; load average ${load()} on ${cpus().length} cores`,
  );
  serverPid = child.pid;
  const notion = new Client({ auth: 'secret_bench', baseUrl: url, retry: false });

  // Cursors for 100-row pages (the default 10,000-row cap gives 100 of them).
  const cursors: (string | undefined)[] = [undefined];
  t = performance.now();
  for (;;) {
    const res = await notion.dataSources.query({
      data_source_id: ds,
      page_size: 100,
      ...(cursors.at(-1) ? { start_cursor: cursors.at(-1) } : {}),
    });
    if (!res.next_cursor) break;
    cursors.push(res.next_cursor);
  }
  console.log(
    `first scan (cold: sort once, serialize each row once): ${cursors.length} pages of 100 in ${(performance.now() - t).toFixed(0)} ms`,
  );
  await throughput(
    `dataSources.query, 100-row pages (warm, after ${SDK_WARM_UP_MS / 1000} s of warm-up)`,
    (i) => {
      const c = cursors[i % cursors.length];
      return notion.dataSources.query({
        data_source_id: ds,
        page_size: 100,
        ...(c ? { start_cursor: c } : {}),
      });
    },
    SDK_WARM_UP_MS,
  );
  await throughput('dataSources.query, 100-row pages (warm), raw HTTP without parsing', (i) => {
    const c = cursors[i % cursors.length];
    return rawPost(
      `${url}/v1/data_sources/${ds}/query`,
      JSON.stringify({ page_size: 100, ...(c ? { start_cursor: c } : {}) }),
    );
  });
  const firstPage = await notion.dataSources.query({ data_source_id: ds, page_size: 100 });
  const ids = (firstPage.results as PageObjectResponse[]).map((p) => p.id);
  await throughput('pages.update (one number property)', (i) =>
    notion.pages.update({ page_id: ids[i % ids.length]!, properties: { N: { number: i } } }),
  );
  // With a write among every 10 requests the cached result is patched (the changed row taken out and put
  // back in order), and only pages showing a changed or shifted row are serialized again.
  await throughput(
    'dataSources.query, 100-row pages, 1 pages.update per 10 requests (row keeps its place)',
    (i) => {
      if (i % 10 === 9)
        return notion.pages.update({ page_id: ids[i % ids.length]!, properties: { N: { number: -i } } });
      const c = cursors[i % cursors.length];
      return notion.dataSources.query({
        data_source_id: ds,
        page_size: 100,
        ...(c ? { start_cursor: c } : {}),
      });
    },
  );
  // Sorted by the property written: each write moves its row to another place, shifting the pages between.
  const sorts = [{ property: 'N', direction: 'descending' as const }];
  const sortedCursors: (string | undefined)[] = [undefined];
  for (;;) {
    const res = await notion.dataSources.query({
      data_source_id: ds,
      sorts,
      page_size: 100,
      ...(sortedCursors.at(-1) ? { start_cursor: sortedCursors.at(-1) } : {}),
    });
    if (!res.next_cursor) break;
    sortedCursors.push(res.next_cursor);
  }
  await throughput(
    'dataSources.query sorted by N, 100-row pages, 1 pages.update of N per 10 requests (row moves)',
    (i) => {
      if (i % 10 === 9)
        return notion.pages.update({
          page_id: ids[i % ids.length]!,
          properties: { N: { number: (i * 7_919) % ROWS } },
        });
      const c = sortedCursors[i % sortedCursors.length];
      return notion.dataSources.query({
        data_source_id: ds,
        sorts,
        page_size: 100,
        ...(c ? { start_cursor: c } : {}),
      });
    },
  );
  await throughput('pages.retrieve', (i) => notion.pages.retrieve({ page_id: ids[i % ids.length]! }));
  child.kill('SIGTERM');
  agent.destroy();
  console.log(`load average after the HTTP runs: ${load()}`);

  // Memory: a fresh emulator with MEMORY_PAGES rows.
  global.gc?.();
  const before = process.memoryUsage();
  const mem = await startEmulator();
  const mdb = mem.workspace.createDatabase(
    {
      parent: { type: 'page_id', page_id: mem.rootPageId },
      initial_data_source: {
        properties: { Name: { title: {} }, N: { number: {} }, Tag: { select: {} }, Done: { checkbox: {} } },
      },
    },
    '2025-09-03',
  );
  t = performance.now();
  for (let i = 0; i < MEMORY_PAGES; i++) {
    mem.workspace.createPage(
      {
        parent: { data_source_id: mdb.dataSourceIds[0] },
        properties: {
          Name: { title: [{ text: { content: `row ${i}` } }] },
          N: { number: i },
          Tag: { select: { name: `t${i % 5}` } },
          Done: { checkbox: i % 2 === 0 },
        },
      },
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
