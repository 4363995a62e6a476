import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runsRelease } from '../../../src/cli/commands/runs-release.js';
import { ExitError } from '../../../src/cli/exit-error.js';
import { runLeaseHolder } from '../../../src/schedule/lease-holder.js';
import { openStore } from '../../../src/store/open-store.js';

const GONE_PID = 2 ** 22 + 1; // above any pid_max: never a live process

let dir: string;
let store: string;
const lines: string[] = [];
const release = (target: string) =>
  runsRelease({ target, store, cwd: dir, env: {}, print: (line) => lines.push(line) });

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runs-release-'));
  store = `sqlite:${path.join(dir, 'store.db')}`;
  lines.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(runsRelease, () => {
  it('releases a lease named in a refusal’s hint when its process is gone', async () => {
    const s = await openStore(store);
    const run = await s.runs.start({ kind: 'mirror', target: 'db', trigger: 'cli' });
    await s.leases.acquire(
      'mirror-source:ds1',
      runLeaseHolder(run.id, { host: hostname(), pid: GONE_PID }),
      600_000,
    );
    await s.close();
    const outcome = await release('mirror-source:ds1');
    expect(outcome.released.map((l) => l.name)).toEqual(['mirror-source:ds1']);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^released mirror-source:ds1 \\(held by run ${run.id.slice(0, 8)} \\(pid ${GONE_PID} on host .+\\) since .+; that process is gone\\)$`,
        ),
      ),
      `marked run ${run.id} failed (abandoned)`,
    ]);
  });

  it('says what it accepts when nothing has that name, and exits 1', async () => {
    await expect(release('mirror-source:nope')).rejects.toBeInstanceOf(ExitError);
    expect(lines[0]).toContain('No job and no held lease named mirror-source:nope');
  });
});
