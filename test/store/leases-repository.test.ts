import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LeasesRepository } from '../../src/store/leases-repository.js';
import { openStore } from '../../src/store/open-store.js';

const run = promisify(execFile);
const RACER = fileURLToPath(new URL('./fixtures/lease-racer.ts', import.meta.url));
const PROCESSES = 2;

describe(LeasesRepository, () => {
  it('is exclusive across processes sharing one SQLite file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notion-sync-lease-'));
    try {
      const file = join(dir, 'store.db');
      await (await openStore(`sqlite:${file}`)).close(); // migrate once, before the race
      // Children start together once all are loaded (tsx startup is slow on a busy machine).
      const startAt = Date.now() + 3_000;
      const outputs = await Promise.all(
        Array.from({ length: PROCESSES }, (_, i) =>
          run(process.execPath, ['--import', 'tsx', RACER, file, `proc-${i}`, String(startAt)], {
            timeout: 25_000,
          }),
        ),
      );
      const results = outputs.map(
        (o) => JSON.parse(o.stdout) as { holder: string; won: number; fences: number[] },
      );
      const winners = results.filter((r) => r.won > 0);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.won).toBe(40);
      expect(winners[0]?.fences).toEqual([1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
