import { describe, expect, it } from 'vitest';
import { ChangeLog } from '../../src/emulator/change-log.js';
import type { DataSourceRecord } from '../../src/emulator/records.js';

function dataSource(id = 'ds-1'): DataSourceRecord {
  return { ds: { object: 'data_source', id }, rows: [], nextUniqueId: 1, revision: 0 };
}

describe(ChangeLog, () => {
  it('lists the rows changed since a revision and bumps the revision once per change', () => {
    const log = new ChangeLog();
    const ds = dataSource();
    log.rowChanged(ds, 'a');
    const seen = ds.revision;
    log.rowChanged(ds, 'b');
    log.rowChanged(ds, 'a');
    expect(ds.revision).toBe(3);
    expect([...log.rowsChangedSince(ds, seen)!].sort()).toEqual(['a', 'b']);
    expect(log.rowsChangedSince(ds, 3)!.size).toBe(0);
    expect([...log.rowsChangedSince(ds, 0)!].sort()).toEqual(['a', 'b']);
  });

  it('knows nothing across a change to the data source itself, an unlogged bump or a trimmed log', () => {
    const log = new ChangeLog();
    const ds = dataSource();
    log.rowChanged(ds, 'a');
    log.dataSourceChanged(ds);
    expect(log.rowsChangedSince(ds, 1)).toBeUndefined();
    log.rowChanged(ds, 'b');
    expect([...log.rowsChangedSince(ds, 2)!]).toEqual(['b']);

    ds.revision++;
    expect(log.rowsChangedSince(ds, 2)).toBeUndefined();

    const other = dataSource('ds-2');
    for (let i = 0; i < 2_000; i++) log.rowChanged(other, `r${i % 3}`);
    expect(log.rowsChangedSince(other, 10)).toBeUndefined();
    expect([...log.rowsChangedSince(other, 1_990)!].sort()).toEqual(['r0', 'r1', 'r2']);
    expect(log.rowsChangedSince(other, 2_001)).toBeUndefined();
  });

  it('stamps the last change affecting a row: its own or its data source', () => {
    const log = new ChangeLog();
    const ds = dataSource();
    expect(log.changedAt(ds, 'a')).toBe(0);
    log.rowChanged(ds, 'a');
    const rendered = log.now();
    expect(log.changedAt(ds, 'a')).toBeLessThanOrEqual(rendered);
    log.rowChanged(ds, 'b');
    expect(log.changedAt(ds, 'a')).toBeLessThanOrEqual(rendered);
    log.dataSourceChanged(ds);
    expect(log.changedAt(ds, 'a')).toBeGreaterThan(rendered);
    log.clear();
    expect(log.changedAt(ds, 'a')).toBe(0);
    log.rowChanged(ds, 'a');
    expect(log.changedAt(ds, 'a')).toBeGreaterThan(rendered);
  });
});
