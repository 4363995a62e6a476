import { describe, expect, it } from 'vitest';
import {
  holderState,
  isProcessAlive,
  parseLeaseHolder,
  processLeaseHolder,
  runLeaseHolder,
} from '../../src/schedule/lease-holder.js';

const HERE = { host: 'build-1', pid: 100, isAlive: (pid: number) => pid === 200 };

describe(parseLeaseHolder, () => {
  it('reads the host, the pid and the run of the names it writes', () => {
    expect(parseLeaseHolder(runLeaseHolder('r-1:x', { host: 'h', pid: 7 }))).toEqual({
      host: 'h',
      pid: 7,
      runId: 'r-1:x',
    });
    expect(parseLeaseHolder(processLeaseHolder('ab12cd34', { host: 'h', pid: 7 }))).toEqual({
      host: 'h',
      pid: 7,
      runId: undefined,
    });
    expect(parseLeaseHolder('0f8e-run-id')).toBeUndefined();
    expect(parseLeaseHolder('run-id:7b2c')).toBeUndefined();
  });
});

describe(holderState, () => {
  it('tells this process, a live one, a gone one, another host and an unreadable holder apart', () => {
    expect(holderState('build-1:100:run:r1', HERE)).toBe('this_process');
    expect(holderState('build-1:200:run:r1', HERE)).toBe('alive');
    expect(holderState('build-1:300:run:r1', HERE)).toBe('gone');
    expect(holderState('build-2:300:run:r1', HERE)).toBe('other_host');
    expect(holderState('r1', HERE)).toBe('unknown');
  });
});

describe(isProcessAlive, () => {
  it('is true for this process and false for a pid no system hands out', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(2 ** 22 + 1)).toBe(false);
  });
});
