import type { Schedule } from './parse-schedule.js';

const UNITS: readonly (readonly [suffix: string, ms: number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
];

/**
 * A schedule as a user writes it: `manual`, `continuous`, `every 15m` (the largest whole unit: `90m`, `6h`,
 * `1d`), `cron 0 3 * * *`.
 */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.type) {
    case 'manual':
    case 'continuous':
      return schedule.type;
    case 'interval': {
      const unit = UNITS.find(([, ms]) => schedule.intervalMs % ms === 0);
      return unit === undefined
        ? `every ${schedule.intervalMs}ms`
        : `every ${schedule.intervalMs / unit[1]}${unit[0]}`;
    }
    case 'cron':
      return `cron ${schedule.expression}`;
  }
}
