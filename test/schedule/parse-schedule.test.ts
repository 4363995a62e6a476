import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/schedule/parse-schedule.js';

describe(parseSchedule, () => {
  it.each([
    ['manual', { type: 'manual' }],
    ['continuous', { type: 'continuous' }],
    ['1m', { type: 'interval', intervalMs: 60_000 }],
    ['30m', { type: 'interval', intervalMs: 1_800_000 }],
    ['6h', { type: 'interval', intervalMs: 21_600_000 }],
    ['7d', { type: 'interval', intervalMs: 604_800_000 }],
    ['*/5 * * * *', { type: 'cron', expression: '*/5 * * * *' }],
  ])('parses %s', (text, schedule) => {
    expect(parseSchedule(text)).toEqual({ schedule });
  });

  it.each(['0m', '8d', '30s', 'hourly', '', '* * *'])('refuses %j', (text) => {
    expect(parseSchedule(text)).toHaveProperty('error');
  });
});
