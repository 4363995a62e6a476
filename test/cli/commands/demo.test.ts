import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demo } from '../../../src/cli/commands/demo.js';

describe(demo, () => {
  afterEach(() => vi.restoreAllMocks());

  it('pushes a worker into the emulator, mirrors it, and sees an edit, two deletes and a restore', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ns-demo-'));
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const summary = await demo({ json: true, cwd: dir, env: {} });

    expect(summary.mode).toBe('emulator');
    expect(summary.store).toBe(path.join(dir, 'notion-sync-demo.db'));
    expect(summary.push).toMatchObject({ status: 'succeeded', counts: { created: 25 } });
    expect(summary.firstMirror.status).toBe('succeeded');
    // 25 pushed issues plus the demo workspace's rows (79 pages less the root page).
    expect(summary.firstMirror.counts.created).toBe(25 + 78);
    expect(summary.secondMirror).toMatchObject({ status: 'succeeded', counts: { deleted: 2 } });
    expect(summary.secondMirror?.counts.updated).toBeGreaterThanOrEqual(1);
    expect(summary.thirdMirror).toMatchObject({ status: 'succeeded', counts: { restored: 1, deleted: 0 } });
    expect(summary.views).toEqual(expect.arrayContaining(['projects', 'tasks', 'contacts', 'issues']));
    expect(summary.sampleQuery?.rows).toHaveLength(5);
    expect(summary.sampleQuery?.rows[0]).toEqual({ title: expect.any(String), status: expect.any(String) });
    // --json prints exactly one JSON document.
    expect(printed).toHaveLength(1);
    expect(JSON.parse(printed[0] as string)).toEqual(JSON.parse(JSON.stringify(summary)));
  }, 120_000);

  it('asks for mirrors when NOTION_TOKEN is set and the config names none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ns-demo-'));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(
      demo({ json: true, cwd: dir, env: { NOTION_TOKEN: 'ntn_abcdefghijklmnopqrstuvwxyz012345' } }),
    ).rejects.toMatchObject({ exitCode: 2 });
  });
});
