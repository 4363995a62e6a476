import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../src/schedule/describe-schedule.js';
import { parseSchedule } from '../../src/schedule/parse-schedule.js';

describe(describeSchedule, () => {
  it.each([
    ['manual', 'manual'],
    ['continuous', 'continuous'],
    ['15m', 'every 15m'],
    ['90m', 'every 90m'],
    ['120m', 'every 2h'],
    ['24h', 'every 1d'],
    ['0 3 * * *', 'cron 0 3 * * *'],
  ])('describes %s as %s', (text, described) => {
    const parsed = parseSchedule(text);
    if (!('schedule' in parsed)) throw new Error(parsed.error);
    expect(describeSchedule(parsed.schedule)).toBe(described);
  });
});
