/** The mirror contract on PostgreSQL (its own file, so it runs in parallel with the SQLite one). */
import { beforeAll, describe } from 'vitest';
import { runMirror } from '../../src/mirror/run-mirror.js';
import { POSTGRES_TEST_WHERE, postgresReachable } from '../store/postgres-test-url.js';
import { postgresTarget } from './mirror-harness.js';
import { runMirrorContract } from './run-mirror.contract.js';

if (await postgresReachable()) {
  describe(`${runMirror.name} on postgres`, () => runMirrorContract(postgresTarget()));
} else if (process.env['CI'] === 'true') {
  describe(`${runMirror.name} on postgres`, () => {
    beforeAll(() => {
      throw new Error(
        `PostgreSQL not reachable at ${POSTGRES_TEST_WHERE}: CI requires it (set NOTION_SYNC_TEST_POSTGRES_URL).`,
      );
    });
    runMirrorContract(postgresTarget());
  });
} else {
  console.warn(`PostgreSQL not reachable at ${POSTGRES_TEST_WHERE}: skipping the PostgreSQL mirror tests.`);
  describe.skip(`${runMirror.name} on postgres`, () => runMirrorContract(postgresTarget()));
}
