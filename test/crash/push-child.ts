/**
 * The push crash suite's child: opens the SQLite store and runs `runSyncCycle` of examples/paginated-replace
 * (`issuesSync`, over the JSON API at `EXAMPLE_API_URL`) in a loop until killed, printing one JSON line per
 * finished run. With a 5th argument `once`, runs until one cycle completes, then exits.
 * Usage: node --import tsx test/crash/push-child.ts <emulatorUrl> <storePath> <parentPageId> <workerPath> [once]
 */
import { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { openStore } from '../../src/store/open-store.js';
import { loadWorker } from '../../src/workers/load-worker.js';

const [url, storePath, parentPageId, workerPath, mode] = process.argv.slice(2);
if (url === undefined || storePath === undefined || parentPageId === undefined || workerPath === undefined)
  throw new Error('usage: push-child.ts <emulatorUrl> <storePath> <parentPageId> <workerPath> [once]');

const store = await openStore(storePath);
const gateway = createGateway({
  token: `secret_crash_push_${process.pid}`,
  baseUrl: url,
  requestsPerSecond: 1_000,
  burst: 1_000,
  requestTimeoutMs: 2_000,
  retry: { baseDelayMs: 1, maxDelayMs: 20, maxAttempts: 8 },
});
const worker = await loadWorker(workerPath);
console.log(JSON.stringify({ ready: true }));
for (let runs = 0; ; runs++) {
  const outcome = await runSyncCycle({
    store,
    gateway,
    worker,
    workerModulePath: workerPath,
    syncKey: 'issuesSync',
    parentPageId,
    // The emulator's query index is never behind a write: a lookup that finds nothing is final at once.
    createSettleMs: 0,
  });
  const { status, counts, sweep, cycleComplete, batches, error } = outcome;
  console.log(JSON.stringify({ status, counts, sweep, cycleComplete, batches, error }));
  if (mode === 'once' && ((status === 'succeeded' && cycleComplete) || runs >= 20)) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await store.close();
