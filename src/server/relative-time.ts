const FORMAT = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** Units from the largest down, each with its length in seconds. */
const UNITS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/**
 * `iso` relative to `nowMs` in English words: "2 minutes ago", "in 28 minutes", "now", "yesterday". Rounds
 * to the largest unit that fits at least once. Returns the input for an unreadable time.
 */
export function relativeTime(iso: string, nowMs: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - nowMs) / 1000);
  const size = Math.abs(seconds);
  for (const [unit, length] of UNITS) {
    if (size >= length || unit === 'second') return FORMAT.format(Math.round(seconds / length), unit);
  }
  return iso;
}
