/**
 * The emulator side of `bench/emulator.bench.ts` and of the ingest figure of `bench/mirror.bench.ts`, run in
 * its own process so that the server and the client do not share one event loop (or one CPU). Seeds `ROWS`
 * rows in process, then prints one JSON line `{url, dataSourceId}` and serves until killed.
 *
 * Usage: `emulator-server.ts [rows=25000] [rowsPerMinute]`. With `rowsPerMinute`, rows are created in the
 * past on an emulated clock, that many per `created_time` minute (below the 10,000-row query cap, so a
 * complete scan can split by minute).
 */
import { startEmulator } from '../src/emulator/index.js';
import { ManualClock } from '../src/manual-clock.js';

const MINUTE_MS = 60_000;
const rows = Number(process.argv[2] ?? 25_000);
const rowsPerMinute = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const clock =
  rowsPerMinute === undefined
    ? undefined
    : new ManualClock(Date.now() - (Math.ceil(rows / rowsPerMinute) + 60) * MINUTE_MS);
const em = await startEmulator(clock === undefined ? {} : { clock });
const db = em.workspace.createDatabase(
  {
    parent: { type: 'page_id', page_id: em.rootPageId },
    initial_data_source: {
      properties: { Name: { title: {} }, N: { number: {} }, Tag: { select: {} }, Done: { checkbox: {} } },
    },
  },
  '2025-09-03',
);
const dataSourceId = db.dataSourceIds[0] as string;
for (let i = 0; i < rows; i++) {
  if (clock !== undefined && rowsPerMinute !== undefined && i % rowsPerMinute === 0)
    clock.set(clock.now() + MINUTE_MS);
  em.workspace.createPage(
    {
      parent: { data_source_id: dataSourceId },
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
console.log(JSON.stringify({ url: em.url, dataSourceId }));
process.on('SIGTERM', () => void em.stop().then(() => process.exit(0)));
