/** The mirror contract on SQLite. */
import { describe } from 'vitest';
import { runMirror } from '../../src/mirror/run-mirror.js';
import { sqliteTarget } from './mirror-harness.js';
import { runMirrorContract } from './run-mirror.contract.js';

describe(`${runMirror.name} on sqlite`, () => runMirrorContract(sqliteTarget()));
