import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../src/server/relative-time.js';

const NOW = Date.parse('2026-05-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe(relativeTime, () => {
  it.each([
    [0, 'now'],
    [-12_000, '12 seconds ago'],
    [-120_000, '2 minutes ago'],
    [28 * 60_000, 'in 28 minutes'],
    [-3 * 3_600_000, '3 hours ago'],
    [-86_400_000, 'yesterday'],
    [2 * 86_400_000, 'in 2 days'],
  ])('%i ms from now reads "%s"', (offset, words) => {
    expect(relativeTime(at(offset), NOW)).toBe(words);
  });

  it('returns a time it cannot read as it is', () => {
    expect(relativeTime('soon', NOW)).toBe('soon');
  });
});
