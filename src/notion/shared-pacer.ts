import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { TokenBucketPacer } from './token-bucket-pacer.js';
import type { TokenBucketPacerOptions } from './token-bucket-pacer.js';

/**
 * One bucket per integration token per clock, for the whole process. Keyed by a hash of the token, never
 * the token itself. Keyed by clock too, so virtual-time tests never share a bucket with real time (in
 * production every gateway uses `systemClock`, so this is one bucket per token).
 */
const registry = new WeakMap<Clock, Map<string, TokenBucketPacer>>();

/** A short, non-reversible fingerprint of a token: safe in logs, metrics labels and registry keys. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * The process-wide `TokenBucketPacer` for `token`: every gateway created with the same token shares one
 * budget. The first caller's options configure it; later callers get the same instance, and `onConflict`
 * is told when they asked for a different rate or burst.
 */
export function sharedTokenBucketPacer(
  token: string,
  options: TokenBucketPacerOptions & { clock: Clock },
  onConflict?: (existing: { requestsPerSecond: number; burst: number }) => void,
): TokenBucketPacer {
  let byToken = registry.get(options.clock);
  if (byToken === undefined) {
    byToken = new Map();
    registry.set(options.clock, byToken);
  }
  const key = tokenFingerprint(token);
  const existing = byToken.get(key);
  if (existing !== undefined) {
    const state = existing.state();
    const rateDiffers =
      options.requestsPerSecond !== undefined && options.requestsPerSecond !== state.requestsPerSecond;
    const burstDiffers = options.burst !== undefined && options.burst !== state.burst;
    if (rateDiffers || burstDiffers)
      onConflict?.({ requestsPerSecond: state.requestsPerSecond, burst: state.burst });
    return existing;
  }
  const pacer = new TokenBucketPacer(options);
  byToken.set(key, pacer);
  return pacer;
}
