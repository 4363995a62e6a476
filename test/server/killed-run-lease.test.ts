import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsRelease } from '../../src/cli/commands/runs-release.js';
import { ExitError } from '../../src/cli/exit-error.js';
import { mirrorLeaseName } from '../../src/mirror/mirror-data-source.js';
import { runLeaseHolder } from '../../src/schedule/lease-holder.js';
import { openStore } from '../../src/store/open-store.js';
import type { JobView } from '../../src/server/engine-api.js';
import {
  EMULATOR_NOTION_TOKEN,
  startEmulatorMirror,
  type EmulatorMirror,
} from './fixtures/emulator-mirror.js';
import { startServe, waitFor, type StartedServe } from './fixtures/start-serve.js';

const MIRROR_LEASE_TTL_MS = 10 * 60_000;

/** A real process that stands for a mirror run in flight, until it is killed. */
function startStandIn(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
}

describe('a killed run’s lease: refused with who holds it, and released once its process is gone', () => {
  let fx: EmulatorMirror;
  let served: StartedServe;
  let standIn: ChildProcess;
  let deadRunId: string;
  const lines: string[] = [];
  const release = () =>
    runsRelease({
      target: 'mirror:tasks',
      config: fx.configPath,
      store: fx.store,
      env: { NOTION_TOKEN: EMULATOR_NOTION_TOKEN },
      print: (line) => lines.push(line),
    });

  beforeAll(async () => {
    fx = await startEmulatorMirror();
    standIn = startStandIn();
    // What a mirror run leaves behind when its process dies mid-run: its run `running`, its lease unexpired.
    const store = await openStore(fx.store);
    try {
      const run = await store.runs.start({ kind: 'mirror', target: fx.databaseId, trigger: 'schedule' });
      deadRunId = run.id;
      const holder = runLeaseHolder(run.id, { host: hostname(), pid: standIn.pid as number });
      await store.leases.acquire(mirrorLeaseName(fx.dataSourceId), holder, MIRROR_LEASE_TTL_MS);
    } finally {
      await store.close();
    }
    served = await startServe({
      configPath: fx.configPath,
      store: fx.store,
      env: { NOTION_TOKEN: EMULATOR_NOTION_TOKEN },
    });
  });
  afterAll(async () => {
    standIn?.kill('SIGKILL');
    await served?.stop();
    await fx?.close();
  });

  const job = async (): Promise<JobView> =>
    ((await (await fetch(`${served.url}/api/jobs/mirror:tasks`)).json()) as { job: JobView }).job;

  it('while its process lives: the API, the page and the CLI say who holds it, and nothing is released', async () => {
    const [lease] = (await job()).blockedBy;
    expect(lease).toMatchObject({
      name: mirrorLeaseName(fx.dataSourceId),
      host: hostname(),
      pid: standIn.pid,
      runId: deadRunId,
      holderState: 'alive',
    });
    expect(Date.parse(lease!.expiresAt) - Date.parse(lease!.since)).toBe(MIRROR_LEASE_TTL_MS);

    const refused = await fetch(`${served.url}/api/jobs/mirror:tasks/run`, { method: 'POST' });
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('lease_held');
    expect(error.message).toContain(
      `held by run ${deadRunId.slice(0, 8)} (pid ${standIn.pid} on host ${hostname()}), since ${lease!.since}, until ${lease!.expiresAt}`,
    );
    expect(error.hint).toContain('is still running');
    const metrics = await (await fetch(`${served.url}/metrics`)).text();
    expect(metrics).toContain('notion_sync_job_blocked{job="mirror:tasks",kind="mirror"} 1');

    await expect(release()).rejects.toBeInstanceOf(ExitError);
    expect(lines.join('\n')).toContain(`kept ${mirrorLeaseName(fx.dataSourceId)}`);
    expect((await job()).blockedBy).toHaveLength(1);
  });

  it('once its process is killed: the page says how to clear it, `runs release` does, and the job runs', async () => {
    standIn.kill('SIGKILL');
    await once(standIn, 'exit');
    const [lease] = (await job()).blockedBy;
    expect(lease?.holderState).toBe('gone');

    const refused = await fetch(`${served.url}/api/jobs/mirror:tasks/run`, { method: 'POST' });
    const { error } = (await refused.json()) as { error: { message: string; hint: string } };
    expect(error.message).toContain('a process that is no longer running');
    expect(error.hint).toContain('`notion-sync runs release mirror:tasks`');
    const page = (await (await fetch(served.url)).text()).replace(/<[^>]+>/g, '');
    expect(page).toContain(
      `Blocked: lease ${mirrorLeaseName(fx.dataSourceId)} held by run ${deadRunId.slice(0, 8)}`,
    );
    expect(page).toMatch(
      /since (\d+ seconds ago|now), expires in 10 minutes\. Clear it now: notion-sync runs release mirror:tasks/,
    );

    lines.length = 0;
    const outcome = await release();
    expect(outcome.released.map((l) => l.name)).toEqual([mirrorLeaseName(fx.dataSourceId)]);
    expect(outcome.failedRuns).toEqual([deadRunId]);
    expect(lines[0]).toMatch(/^released mirror-source:/);
    expect((await job()).blockedBy).toEqual([]);
    expect(await (await fetch(`${served.url}/metrics`)).text()).toContain(
      'notion_sync_job_blocked{job="mirror:tasks",kind="mirror"} 0',
    );

    const started = await fetch(`${served.url}/api/jobs/mirror:tasks/run`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    const run = await waitFor(async () => {
      const body = (await (await fetch(`${served.url}/api/runs/${runId}`)).json()) as {
        run: { status: string };
      };
      return body.run.status === 'running' ? undefined : body.run;
    }, 'the mirror run to end');
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 3 } });
    const dead = (await (await fetch(`${served.url}/api/runs/${deadRunId}`)).json()) as {
      run: { status: string; error: { code: string } };
    };
    expect(dead.run).toMatchObject({ status: 'failed', error: { code: 'abandoned' } });

    lines.length = 0;
    await release();
    expect(lines).toEqual(['Nothing to release: no lease holds mirror:tasks.']);
  });
});
