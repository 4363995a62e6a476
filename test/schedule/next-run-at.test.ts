import { describe, expect, it } from 'vitest';
import {
  cronNextAfter,
  firstRunAt,
  nextRunAfter,
  scheduleSignature,
} from '../../src/schedule/next-run-at.js';
import type { Schedule } from '../../src/schedule/parse-schedule.js';

const MIN = 60_000;
const T = Date.UTC(2026, 0, 1, 0, 5, 0);
const hourly: Schedule = { type: 'interval', intervalMs: 60 * MIN };

describe(firstRunAt, () => {
  it('is now for intervals and continuous, the next occurrence for cron, never for manual', () => {
    expect(firstRunAt(hourly, T)).toBe(T);
    expect(firstRunAt({ type: 'continuous' }, T)).toBe(T);
    expect(firstRunAt({ type: 'manual' }, T)).toBeUndefined();
    expect(firstRunAt({ type: 'cron', expression: '*/15 * * * *' }, T)).toBe(T + 10 * MIN);
  });
});

describe(cronNextAfter, () => {
  it('is strictly after the given time', () => {
    const quarter = Date.UTC(2026, 0, 1, 0, 15, 0);
    expect(cronNextAfter('*/15 * * * *', quarter)).toBe(quarter + 15 * MIN);
  });
});

describe(nextRunAfter, () => {
  const run = {
    startedAtMs: T,
    endedAtMs: T + 2 * MIN,
    status: 'succeeded' as const,
    consecutiveFailures: 0,
  };

  it('counts an interval from the last start, and follows an overlong run at once', () => {
    expect(nextRunAfter(hourly, run)).toBe(T + 60 * MIN);
    expect(nextRunAfter(hourly, { ...run, endedAtMs: T + 90 * MIN })).toBe(T + 90 * MIN);
  });

  it('starts a continuous job again at its end, not sooner than the floor after its start', () => {
    expect(
      nextRunAfter({ type: 'continuous' }, { ...run, endedAtMs: T + 1_000 }, { continuousFloorMs: 5_000 }),
    ).toBe(T + 5_000);
    expect(nextRunAfter({ type: 'continuous' }, run, { continuousFloorMs: 5_000 })).toBe(T + 2 * MIN);
  });

  it('takes the next cron occurrence after the end', () => {
    expect(nextRunAfter({ type: 'cron', expression: '0 * * * *' }, run)).toBe(Date.UTC(2026, 0, 1, 1, 0, 0));
  });

  it('backs off a failed run exponentially, sooner than the rhythm, and at least retryAfterMs', () => {
    const failed = { ...run, status: 'failed' as const };
    expect(nextRunAfter(hourly, { ...failed, consecutiveFailures: 1 })).toBe(run.endedAtMs + MIN);
    expect(nextRunAfter(hourly, { ...failed, consecutiveFailures: 3 })).toBe(run.endedAtMs + 4 * MIN);
    expect(nextRunAfter(hourly, { ...failed, consecutiveFailures: 1, retryAfterMs: 10 * MIN })).toBe(
      run.endedAtMs + 10 * MIN,
    );
    expect(
      nextRunAfter(
        hourly,
        { ...failed, consecutiveFailures: 2 },
        { backoff: { baseMs: 1_000, maxMs: 1_500 } },
      ),
    ).toBe(run.endedAtMs + 1_500);
  });

  it('makes a cancelled run due at once, and never runs a manual job on its own', () => {
    expect(nextRunAfter(hourly, { ...run, status: 'cancelled' })).toBe(run.endedAtMs);
    expect(
      nextRunAfter({ type: 'manual' }, { ...run, status: 'failed', consecutiveFailures: 1 }),
    ).toBeUndefined();
  });

  it('honours retryAfterMs after a run that did not fail', () => {
    expect(nextRunAfter({ type: 'continuous' }, { ...run, retryAfterMs: 10 * MIN })).toBe(
      run.endedAtMs + 10 * MIN,
    );
    expect(nextRunAfter(hourly, { ...run, status: 'partial', retryAfterMs: MIN })).toBe(T + 60 * MIN);
  });
});

describe(scheduleSignature, () => {
  it('tells schedules apart', () => {
    const all: Schedule[] = [
      { type: 'manual' },
      { type: 'continuous' },
      hourly,
      { type: 'interval', intervalMs: MIN },
      { type: 'cron', expression: '0 * * * *' },
    ];
    expect(new Set(all.map(scheduleSignature)).size).toBe(all.length);
  });
});
