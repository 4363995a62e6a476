/**
 * The crash suite's child: opens the SQLite store and runs `runMirror` of one source in a loop (mode `auto`)
 * until killed, printing one JSON line per finished run. With a 4th argument `full` (or `once`), runs once in
 * mode `full` (or `auto`) and exits.
 * Usage: node --import tsx test/crash/mirror-child.ts <emulatorUrl> <storeUrl> <source> [full|once]
 * (env CRASH_STORE_SCHEMA: the PostgreSQL schema).
 */
import { runMirror } from '../../src/mirror/run-mirror.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { openStore } from '../../src/store/open-store.js';

const [url, storePath, source, mode] = process.argv.slice(2);
if (url === undefined || storePath === undefined || source === undefined)
  throw new Error('usage: mirror-child.ts <emulatorUrl> <storePath> <source> [full|once]');

// PostgreSQL: the schema comes from the environment (the store URL is the second argument).
const schema = process.env['CRASH_STORE_SCHEMA'];
const store = await openStore(storePath, schema === undefined ? {} : { schema });
const gateway = createGateway({
  token: `secret_crash_mirror_${process.pid}`,
  baseUrl: url,
  requestsPerSecond: 1_000,
  burst: 1_000,
  requestTimeoutMs: 5_000,
  retry: { baseDelayMs: 1, maxDelayMs: 20, maxAttempts: 8 },
});
console.log(JSON.stringify({ ready: true }));
const once = mode === 'full' || mode === 'once';
for (;;) {
  const outcome = await runMirror({
    store,
    gateway,
    sources: [source],
    mode: mode === 'full' ? 'full' : 'auto',
    // One line per committed page of results: the test picks its kill points from them.
    onProgress: (p) => console.log(JSON.stringify({ progress: p.pagesDone, phase: p.phase, mode: p.mode })),
  });
  const ds = outcome.dataSources[0];
  console.log(
    JSON.stringify({ status: outcome.status, mode: ds?.mode, counts: outcome.counts, error: outcome.error }),
  );
  if (once) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await store.close();
