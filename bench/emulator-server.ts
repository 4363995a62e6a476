/**
 * The emulator side of `bench/emulator.bench.ts`, run in its own process so that the server and the
 * load-generating client do not share one event loop. Seeds `ROWS` rows in process, then prints one JSON
 * line `{url, dataSourceId}` and serves until killed.
 */
import { startEmulator } from '../src/emulator/index.js';

const rows = Number(process.argv[2] ?? 25_000);
const em = await startEmulator();
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
