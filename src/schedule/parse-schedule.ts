import parser from 'cron-parser';

/** A parsed schedule (workers-runtime.md: manual, continuous, intervals from 1 minute to 7 days; cron). */
export type Schedule =
  | { readonly type: 'manual' }
  | { readonly type: 'continuous' }
  | { readonly type: 'interval'; readonly intervalMs: number }
  | { readonly type: 'cron'; readonly expression: string };

export const MIN_INTERVAL_MS = 60_000;
export const MAX_INTERVAL_MS = 7 * 24 * 60 * 60_000;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `manual`, `continuous`, `<N>m|h|d` (1 minute to 7 days) or a 5-field cron expression.
 * Returns an error message instead of throwing, so config validation can report it with its path.
 */
export function parseSchedule(text: string): { schedule: Schedule } | { error: string } {
  const s = text.trim();
  if (s === 'manual') return { schedule: { type: 'manual' } };
  if (s === 'continuous') return { schedule: { type: 'continuous' } };
  const interval = /^(\d+)\s*([mhd])$/.exec(s);
  if (interval) {
    const ms = Number(interval[1]) * (UNIT_MS[interval[2] as string] as number);
    if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
      return { error: `interval "${s}" is out of range: use 1m to 7d` };
    }
    return { schedule: { type: 'interval', intervalMs: ms } };
  }
  if (s.split(/\s+/).length === 5) {
    try {
      parser.parseExpression(s);
      return { schedule: { type: 'cron', expression: s } };
    } catch (e) {
      return { error: `cron expression "${s}" is invalid: ${(e as Error).message}` };
    }
  }
  return {
    error: `"${s}" is not a schedule: use "manual", "continuous", an interval like "15m", "6h" or "1d", or a 5-field cron expression`,
  };
}
