import { describe, expect, it } from 'vitest';
import { GatewayMetrics, LATENCY_BUCKETS_MS } from '../../src/notion/gateway-metrics.js';

describe(GatewayMetrics, () => {
  it('counts per endpoint and in total', () => {
    const metrics = new GatewayMetrics();
    metrics.add('pages.create', 'calls');
    metrics.add('pages.create', 'attempts', 2);
    metrics.add('pages.update', 'calls');
    metrics.add('pages.update', 'bytesSent', 120);
    const snap = metrics.snapshot();
    expect(snap.endpoints['pages.create']).toMatchObject({ calls: 1, attempts: 2 });
    expect(snap.endpoints['pages.update']).toMatchObject({ calls: 1, bytesSent: 120 });
    expect(snap.total).toMatchObject({ calls: 2, attempts: 2, bytesSent: 120 });
    expect(Object.keys(snap.endpoints)).toEqual(['pages.create', 'pages.update']);
    expect(Object.isFrozen(snap.total)).toBe(true);
  });

  it('keeps latency sum, max and a histogram with p50 and p95', () => {
    const metrics = new GatewayMetrics();
    for (let i = 0; i < 90; i++) metrics.observeLatency('search', 80);
    for (let i = 0; i < 10; i++) metrics.observeLatency('search', 900);
    metrics.observeLatency('search', 120_000);
    const s = metrics.snapshot().endpoints['search'];
    expect(s?.latencySumMs).toBe(90 * 80 + 10 * 900 + 120_000);
    expect(s?.latencyMaxMs).toBe(120_000);
    expect(s?.latencyP50Ms).toBe(100);
    expect(s?.latencyP95Ms).toBe(1_000);
    expect(s?.latencyBuckets).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
    expect(s?.latencyBuckets.at(-1)).toBe(1);
  });

  it('reports zeros when empty and after reset', () => {
    const metrics = new GatewayMetrics();
    expect(metrics.snapshot().total).toMatchObject({ calls: 0, latencyP50Ms: 0, latencyP95Ms: 0 });
    metrics.add('users.me', 'calls');
    metrics.observeLatency('users.me', 10);
    metrics.reset();
    const snap = metrics.snapshot();
    expect(snap.endpoints).toEqual({});
    expect(snap.total).toMatchObject({ calls: 0, latencySumMs: 0, latencyMaxMs: 0 });
  });
});
