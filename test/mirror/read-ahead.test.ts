import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../../src/mirror/map-concurrent.js';
import { readAhead } from '../../src/mirror/read-ahead.js';

async function* numbers(log: string[], count: number): AsyncGenerator<number, void, undefined> {
  try {
    for (let i = 0; i < count; i++) {
      log.push(`read ${i}`);
      yield i;
    }
  } finally {
    log.push('closed');
  }
}

describe(readAhead, () => {
  it('asks for the next item while the caller works on the current one', async () => {
    const log: string[] = [];
    for await (const n of readAhead(numbers(log, 3))) {
      await Promise.resolve();
      log.push(`use ${n}`);
    }
    expect(log.indexOf('read 1')).toBeLessThan(log.indexOf('use 0'));
    expect(log.filter((l) => l.startsWith('use'))).toEqual(['use 0', 'use 1', 'use 2']);
    expect(log).toContain('closed');
  });

  it('closes the source when the caller stops early, reading at most one item ahead', async () => {
    const log: string[] = [];
    for await (const n of readAhead(numbers(log, 10))) if (n === 1) break;
    expect(log.filter((l) => l.startsWith('read'))).toEqual(['read 0', 'read 1', 'read 2']);
    expect(log.at(-1)).toBe('closed');
  });

  it('surfaces a failure of the source to the caller', async () => {
    async function* failing(): AsyncGenerator<number, void, undefined> {
      yield 1;
      throw new Error('boom');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of readAhead(failing())) seen.push(n);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
  });

  it('drops a failed read-ahead when the caller stops early, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    let returned = false;
    let calls = 0;
    // The second item's read fails while the caller still works on the first one.
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          calls++;
          if (calls === 1) return { done: false, value: 1 };
          throw new Error('prefetch failed');
        },
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    try {
      const seen: number[] = [];
      for await (const n of readAhead(source)) {
        seen.push(n);
        await new Promise<void>((resolve) => setImmediate(resolve));
        break;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(seen).toEqual([1]);
      expect(calls).toBe(2);
      expect(returned).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it("surfaces the caller's own error and closes the source", async () => {
    const log: string[] = [];
    await expect(
      (async () => {
        for await (const n of readAhead(numbers(log, 5))) if (n === 0) throw new Error('ingest failed');
      })(),
    ).rejects.toThrow('ingest failed');
    expect(log).toEqual(['read 0', 'read 1', 'closed']);
  });
});

describe(mapConcurrent, () => {
  it('keeps at most `limit` calls in flight and returns settled results in input order', async () => {
    let active = 0;
    let peak = 0;
    const results = await mapConcurrent([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => setImmediate(resolve));
      active--;
      if (n === 4) throw new Error('four');
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([
      10,
      20,
      30,
      'failed',
      50,
      60,
      70,
    ]);
  });
});
