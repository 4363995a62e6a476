import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { CircuitBreaker } from '../../src/notion/circuit-breaker.js';
import type { BreakerResult } from '../../src/notion/circuit-breaker.js';
import { CircuitOpenError } from '../../src/notion/gateway-errors.js';

function attempt(breaker: CircuitBreaker, result: BreakerResult): void {
  breaker.record(breaker.admit('pages.retrieve'), result);
}

describe(CircuitBreaker, () => {
  it('opens after N consecutive failures and fails fast, saying when it probes again', () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const breaker = new CircuitBreaker({ clock, failureThreshold: 3, coolDownMs: 30_000 });
    attempt(breaker, 'failure');
    attempt(breaker, 'failure');
    expect(breaker.state).toBe('closed');
    attempt(breaker, 'failure');
    expect(breaker.state).toBe('open');
    let error: unknown;
    try {
      breaker.admit('pages.update');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({
      code: 'circuit_open',
      endpoint: 'pages.update',
      retryAt: clock.now() + 30_000,
    });
    expect((error as Error).message).toContain('30 s');
    expect((error as Error).message).toContain('2026-01-01T00:00:30.000Z');
    expect(() => breaker.check('x')).toThrow(CircuitOpenError);
  });

  it('does not count 4xx or 429, and a 4xx resets the count', () => {
    const breaker = new CircuitBreaker({ clock: new ManualClock(0), failureThreshold: 2 });
    attempt(breaker, 'failure');
    attempt(breaker, 'healthy');
    attempt(breaker, 'failure');
    attempt(breaker, 'neutral');
    attempt(breaker, 'neutral');
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(1);
    attempt(breaker, 'failure');
    expect(breaker.state).toBe('open');
  });

  it('goes half-open after the cool-down, lets exactly one probe through, and closes on success', async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1, coolDownMs: 1_000 });
    attempt(breaker, 'failure');
    await clock.advance(999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half_open');
    const probe = breaker.admit('a');
    expect(probe.probe).toBe(true);
    expect(() => breaker.admit('b')).toThrow(CircuitOpenError);
    breaker.record(probe, 'success');
    expect(breaker.state).toBe('closed');
    expect(breaker.admit('c').probe).toBe(false);
  });

  it('re-opens when the probe fails', async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1, coolDownMs: 1_000 });
    attempt(breaker, 'failure');
    await clock.advance(1_000);
    const probe = breaker.admit('a');
    breaker.record(probe, 'failure');
    expect(breaker.state).toBe('open');
    await clock.advance(999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half_open');
  });

  it('frees the probe slot when the probe is throttled', async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1, coolDownMs: 10 });
    attempt(breaker, 'failure');
    await clock.advance(10);
    breaker.record(breaker.admit('a'), 'neutral');
    expect(breaker.state).toBe('half_open');
    expect(breaker.admit('b').probe).toBe(true);
  });

  it('ignores late results of attempts admitted before the last state change', async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1, coolDownMs: 1_000 });
    const slow = breaker.admit('slow');
    attempt(breaker, 'failure');
    expect(breaker.state).toBe('open');
    breaker.record(slow, 'success');
    expect(breaker.state).toBe('open');
  });
});
