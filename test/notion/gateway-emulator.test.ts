/**
 * The gateway contract against the emulator (src/emulator/, built in parallel): skipped until it exists
 * in this tree.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { QueryCapError } from '../../src/notion/gateway-errors.js';
import type { QueryAllPage } from '../../src/notion/query-data-source-all.js';
import { describeGatewayContract } from './gateway.contract.js';

interface EmulatorHandle {
  readonly url: string;
  readonly rootPageId: string | undefined;
  stop(): Promise<void>;
}
type StartEmulator = (options: {
  port: number;
  token?: string;
  clock?: Clock;
  queryResultCap?: number;
}) => Promise<EmulatorHandle>;

async function loadEmulator(): Promise<StartEmulator> {
  const specifier = '../../src/emulator/index.js';
  return ((await import(specifier)) as { startEmulator: StartEmulator }).startEmulator;
}

const emulatorEntry = new URL('../../src/emulator/index.ts', import.meta.url);

if (existsSync(emulatorEntry)) {
  describeGatewayContract('emulator', async () => {
    const token = 'ntn_emulatorcontracttoken00000000000000';
    const startEmulator = await loadEmulator();
    const emulator = await startEmulator({ port: 0, token });
    if (emulator.rootPageId === undefined) throw new Error('the emulator seeded no root page');
    return {
      token,
      baseUrl: emulator.url,
      parentPageId: emulator.rootPageId,
      requestsPerSecond: 100,
      stop: () => emulator.stop(),
    };
  });

  describe('queryDataSourceAll against the emulator with a small query cap', () => {
    it('reads every row once across created_time windows, and refuses a minute it cannot split', async () => {
      const token = 'ntn_emulatorcaptoken000000000000000000000';
      const T0 = Date.parse('2026-03-01T10:00:00Z');
      const clock = new ManualClock(T0);
      const emulator = await (await loadEmulator())({ port: 0, token, clock, queryResultCap: 5 });
      try {
        const gateway = createGateway({ token, baseUrl: emulator.url, requestsPerSecond: 1_000, burst: 50 });
        const database = await gateway.client.databases.create({
          parent: { type: 'page_id', page_id: emulator.rootPageId ?? '' },
          title: [{ text: { content: 'cap test' } }],
          initial_data_source: { properties: { Name: { title: {} } } },
        });
        const dataSourceId = 'data_sources' in database ? (database.data_sources[0]?.id ?? '') : '';
        const addRows = async (minutes: readonly number[]): Promise<void> => {
          for (const [i, minute] of minutes.entries()) {
            clock.set(T0 + minute * 60_000);
            await gateway.client.pages.create({
              parent: { data_source_id: dataSourceId },
              properties: { Name: { title: [{ text: { content: `row ${String(minute)}-${String(i)}` } }] } },
            });
          }
        };
        const readAll = async (): Promise<QueryAllPage[]> => {
          const pages: QueryAllPage[] = [];
          for await (const p of gateway.queryDataSourceAll({ data_source_id: dataSourceId, page_size: 2 }))
            pages.push(p);
          return pages;
        };

        await addRows([0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 4, 4, 5, 5, 5, 6, 7]);
        const pages = await readAll();
        const ids = pages.flatMap((p) => p.results.map((r) => r.id));
        expect(ids).toHaveLength(17);
        expect(new Set(ids).size).toBe(17);
        expect(Math.max(...pages.map((p) => p.windowIndex))).toBeGreaterThanOrEqual(2);
        expect(pages.at(-1)?.done).toBe(true);

        await addRows([8, 8, 8, 8, 8, 8, 9]);
        await expect(readAll()).rejects.toBeInstanceOf(QueryCapError);
      } finally {
        await emulator.stop();
      }
    });
  });
} else {
  describe('gateway contract: emulator', () => {
    it.skip('src/emulator/ is not in this tree yet', () => {});
  });
}
