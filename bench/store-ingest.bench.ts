/**
 * Replica ingest throughput: `ReplicaRepository.upsertPages` (through Kysely, with change detection and
 * version rows) against a raw better-sqlite3 loop writing the same page and version rows with prepared
 * statements, each on a fresh SQLite file with the same schema, in batches of the same size, one
 * transaction per batch. Prints the ratio (goal ≥ 0.5) and the peak memory of the store run.
 *
 *   npx tsx bench/store-ingest.bench.ts [rows=100000] [batch=1000] [--no-fts]
 *
 * With the FTS5 triggers on, one-row statements (the raw loop) are measured slower than the store's
 * multi-row statements, so the ratio exceeds 1 and says little; `--no-fts` drops the FTS triggers on both
 * files, which isolates the store's own overhead (Kysely, change detection, JSON): the stricter ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../src/store/open-store.js';
import type { PageInput } from '../src/store/replica-repository.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const NO_FTS = process.argv.includes('--no-fts');
const ROWS = Number(args[0] ?? 100_000);
const BATCH = Number(args[1] ?? 1_000);
const DATA_SOURCE = 'bench-data-source';
const NOW = '2026-03-01T00:00:00.000Z';

function makeBatch(start: number, size: number): PageInput[] {
  return Array.from({ length: size }, (_, j) => {
    const i = start + j;
    const properties = {
      Name: `Task number ${i}`,
      Status: i % 3 === 0 ? 'Done' : 'Doing',
      Points: i % 13,
      Done: i % 2 === 0,
      Due: { start: '2026-01-01', end: null, time_zone: null },
      Tags: ['alpha', 'beta'],
    };
    return {
      id: `page-${String(i).padStart(8, '0')}`,
      dataSourceId: DATA_SOURCE,
      properties,
      title: properties.Name,
      createdTime: NOW,
      lastEditedTime: NOW,
      inTrash: false,
      contentHash: `hash-${i}`,
    };
  });
}

/** A SQLite file with the store's schema (migrated by the store itself). */
async function freshFile(dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  const store = await openStore(`sqlite:${file}`);
  await store.close();
  if (NO_FTS) {
    const db = new BetterSqlite3(file);
    for (const t of ['pages_fts_insert', 'pages_fts_update', 'pages_fts_delete'])
      db.exec(`drop trigger ${t}`);
    db.close();
  }
  return file;
}

async function runStore(file: string): Promise<{ ms: number; peakRssMb: number; peakHeapMb: number }> {
  const store = await openStore(`sqlite:${file}`);
  let peakRss = 0;
  let peakHeap = 0;
  const started = performance.now();
  for (let i = 0; i < ROWS; i += BATCH) {
    await store.replica.upsertPages(makeBatch(i, Math.min(BATCH, ROWS - i)));
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }
  const ms = performance.now() - started;
  await store.close();
  return { ms, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
}

function runRaw(file: string): { ms: number } {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const insertPage = db.prepare(
    `insert into pages (id, data_source_id, properties, title, created_time, last_edited_time, in_trash,
       content_hash, body_markdown, body_json, body_hash, version, deleted_at, deleted_reason, first_seen_at, last_seen_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, null, null, null, 1, null, null, ?, ?)`,
  );
  const insertVersion = db.prepare(
    `insert into page_versions (page_id, version, observed_at, change_kind, properties, body_hash, changed_properties, run_id)
     values (?, 1, ?, 'created', ?, null, ?, null)`,
  );
  const writeBatch = db.transaction((pages: PageInput[]) => {
    // Pages first, then their versions, as the store does.
    const properties = pages.map((p) => JSON.stringify(p.properties));
    pages.forEach((p, i) =>
      insertPage.run(
        p.id,
        p.dataSourceId,
        properties[i],
        p.title,
        p.createdTime,
        p.lastEditedTime,
        0,
        p.contentHash,
        NOW,
        NOW,
      ),
    );
    pages.forEach((p, i) =>
      insertVersion.run(p.id, NOW, properties[i], JSON.stringify(Object.keys(p.properties).sort())),
    );
  });
  const started = performance.now();
  for (let i = 0; i < ROWS; i += BATCH) writeBatch(makeBatch(i, Math.min(BATCH, ROWS - i)));
  const ms = performance.now() - started;
  db.close();
  return { ms };
}

/** Each side runs this many times, alternating, and its best run counts (the machine may be shared). */
const ROUNDS = 2;

const dir = mkdtempSync(join(tmpdir(), 'notion-sync-bench-'));
try {
  let rawMs = Infinity;
  let ourMs = Infinity;
  let peakRssMb = 0;
  let peakHeapMb = 0;
  for (let round = 0; round < ROUNDS; round++) {
    rawMs = Math.min(rawMs, runRaw(await freshFile(dir, `raw-${round}.db`)).ms);
    const ours = await runStore(await freshFile(dir, `store-${round}.db`));
    ourMs = Math.min(ourMs, ours.ms);
    peakRssMb = Math.max(peakRssMb, ours.peakRssMb);
    peakHeapMb = Math.max(peakHeapMb, ours.peakHeapMb);
  }
  const rawRate = ROWS / (rawMs / 1000);
  const ourRate = ROWS / (ourMs / 1000);
  console.log(
    `rows: ${ROWS}, batch: ${BATCH}, full-text index: ${NO_FTS ? 'off (both)' : 'on (both)'}, best of ${ROUNDS}`,
  );
  console.log(`raw better-sqlite3 loop: ${Math.round(rawRate)} rows/s`);
  console.log(`ReplicaRepository.upsertPages: ${Math.round(ourRate)} rows/s`);
  console.log(`ratio (store ÷ raw): ${(ourRate / rawRate).toFixed(2)} (goal ≥ 0.50)`);
  console.log(
    `peak memory during store ingest: rss ${peakRssMb.toFixed(0)} MB, heap ${peakHeapMb.toFixed(0)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
