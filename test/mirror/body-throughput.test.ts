/**
 * Page bodies are read several at a time, so that with real-world latency (200 ms per call) the gateway's
 * pacer, not the round trips, sets the request rate. Real time, bounded: ~6 s.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { runMirror } from '../../src/mirror/run-mirror.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { openStore } from '../../src/store/open-store.js';

const LATENCY_MS = 200;
const REQUESTS_PER_SECOND = 20;
const PAGES = 100;

describe(runMirror, () => {
  it(`keeps the pacer busy: bodies of ${PAGES} pages at ${REQUESTS_PER_SECOND} req/s with ${LATENCY_MS} ms latency`, async () => {
    const emulator = await startEmulator({ port: 0, latencyMs: LATENCY_MS });
    const store = await openStore(':memory:');
    try {
      const token = `secret_${randomUUID().replace(/-/g, '')}`;
      const notion = new Client({ auth: token, baseUrl: emulator.url, notionVersion: '2025-09-03' });
      const database = await notion.databases.create({
        parent: { type: 'page_id', page_id: emulator.rootPageId as string },
        title: [{ type: 'text', text: { content: 'Notes' } }],
        initial_data_source: { properties: { Name: { title: {} } } },
      });
      const dataSourceId = 'data_sources' in database ? (database.data_sources[0]?.id as string) : '';
      // Created all at once: each call waits the emulator's latency.
      const creates = Array.from({ length: PAGES }, (_, i) =>
        notion.pages.create({
          parent: { type: 'data_source_id', data_source_id: dataSourceId },
          properties: { Name: { title: [{ type: 'text', text: { content: `Note ${i}` } }] } },
          children: [
            {
              type: 'paragraph',
              paragraph: { rich_text: [{ type: 'text', text: { content: `body ${i}` } }] },
            },
          ],
        }),
      );
      await Promise.all(creates);
      const gateway = createGateway({
        token,
        baseUrl: emulator.url,
        requestsPerSecond: REQUESTS_PER_SECOND,
        burst: 1,
      });
      // Rows first (discovery and rows are serial round trips), then every body in one full scan.
      await runMirror({ store, gateway, sources: [dataSourceId], bodies: false });
      const started = performance.now();
      const outcome = await runMirror({
        store,
        gateway,
        sources: [dataSourceId],
        mode: 'full',
        bodyConcurrency: 8,
      });
      const seconds = (performance.now() - started) / 1_000;
      expect(outcome.status).toBe('succeeded');
      expect(outcome.counts.updated).toBe(PAGES); // each page gains its body
      // dataSources.retrieve + 1 query + 1 children read per page
      expect(outcome.apiCalls).toBe(PAGES + 2);
      const ratio = outcome.apiCalls / seconds / REQUESTS_PER_SECOND;
      console.info(
        `body throughput: ${(outcome.apiCalls / seconds).toFixed(1)} req/s, rate ÷ limit = ${ratio.toFixed(2)}`,
      );
      // ≥ 0.9 on an idle machine; the bound leaves room for a loaded CI host.
      expect(ratio).toBeGreaterThan(0.75);
    } finally {
      await store.close();
      await emulator.stop();
    }
  }, 20_000);
});
