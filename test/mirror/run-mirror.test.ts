import { beforeAll, describe } from 'vitest';
import { runMirror } from '../../src/mirror/run-mirror.js';
import { POSTGRES_TEST_WHERE, postgresReachable } from '../store/postgres-test-url.js';
import { postgresTarget, sqliteTarget } from './mirror-harness.js';
import { runMirrorContract } from './run-mirror.contract.js';

describe(`${runMirror.name} on sqlite`, () => runMirrorContract(sqliteTarget()));

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
