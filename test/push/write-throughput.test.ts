/**
 * Independent rows are written concurrently within the gateway's budget: with Notion's ~200 ms per call, one
 * call at a time would reach 5 calls/s; the push engine must use the whole rate limit without a single 429.
 * The write rate is measured over the writes themselves (first create sent → last create answered); the
 * database set-up before them is sequential by nature. Across batches it holds because the batches are
 * pipelined (DEFAULT_PIPELINE_DEPTH): one batch's last round trips overlap the next batch's first writes.
 */
import { describe, expect, it } from 'vitest';
import { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { startPushHarness, testWorker, TestSource } from './push-harness.js';

const RATE = 20;
const ROWS = 60;

describe(runSyncCycle, () => {
  it.each([
    { pageSize: ROWS, what: 'one batch' },
    // Ten rows per execute, as the examples: the next batch is written while the last one's writes finish.
    { pageSize: 10, what: 'batches of ten' },
  ])(
    `writes at ≥ 0.9 of a ${RATE} req/s limit at 200 ms per call, with zero 429s ($what)`,
    async ({ pageSize }) => {
      const creates: { sentAt: number; answeredAt: number }[] = [];
      const timedFetch: typeof fetch = async (input, init) => {
        const sentAt = performance.now();
        const response = await fetch(input, init);
        if (init?.method?.toUpperCase() === 'POST' && String(input).endsWith('/v1/pages'))
          creates.push({ sentAt, answeredAt: performance.now() });
        return response;
      };
      const h = await startPushHarness({
        emulator: { rateLimit: { requestsPerSecond: RATE, burst: RATE }, latencyMs: 200 },
        gateway: { requestsPerSecond: RATE, burst: 3, fetch: timedFetch },
      });
      try {
        const source = new TestSource();
        for (let i = 0; i < ROWS; i++)
          source.upsert({ id: `r${String(i).padStart(3, '0')}`, title: `Row ${i}` });
        const outcome = await h.run(testWorker(source, { pageSize }), 'itemsReplace');
        expect(outcome).toMatchObject({ status: 'succeeded', counts: { created: ROWS } });
        expect(creates).toHaveLength(ROWS);
        const seconds =
          (Math.max(...creates.map((c) => c.answeredAt)) - Math.min(...creates.map((c) => c.sentAt))) / 1000;
        const ratio = ROWS / seconds / RATE;
        expect(h.emulator.stats().rateLimited).toBe(0);
        expect(ratio).toBeGreaterThanOrEqual(0.9);
      } finally {
        await h.close();
      }
    },
    20_000,
  );
});
