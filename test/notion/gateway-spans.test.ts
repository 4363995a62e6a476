import { trace } from '@opentelemetry/api';
import type {
  Attributes,
  AttributeValue,
  Span,
  SpanOptions,
  SpanStatus,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { drive, fakeFetch, notionError } from './fake-fetch.js';

interface Recorded {
  name: string;
  attributes: Attributes;
  status: SpanStatus | undefined;
  ended: boolean;
}

/** A tracer that records spans in memory (what an OpenTelemetry SDK would export). */
function recordingProvider(spans: Recorded[]): TracerProvider {
  const tracer: Tracer = {
    startSpan(name: string, options?: SpanOptions): Span {
      const rec: Recorded = { name, attributes: { ...options?.attributes }, status: undefined, ended: false };
      spans.push(rec);
      const span: Span = {
        spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }),
        setAttribute: (key: string, value: AttributeValue) => {
          rec.attributes[key] = value;
          return span;
        },
        setAttributes: (attributes: Attributes) => {
          Object.assign(rec.attributes, attributes);
          return span;
        },
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus: (status: SpanStatus) => {
          rec.status = status;
          return span;
        },
        updateName: () => span,
        end: () => {
          rec.ended = true;
        },
        isRecording: () => true,
        recordException: () => {},
      };
      return span;
    },
    startActiveSpan: (() => {
      throw new Error('not used');
    }) as Tracer['startActiveSpan'],
  };
  return { getTracer: () => tracer };
}

afterAll(() => trace.disable());

describe('gateway spans', () => {
  it('opens one client span per attempt, named by endpoint, with status and request id', async () => {
    const spans: Recorded[] = [];
    trace.setGlobalTracerProvider(recordingProvider(spans));
    const clock = new ManualClock(0);
    const gateway = createGateway({
      token: 'ntn_spantesttoken0123456789abcdefghij',
      clock,
      random: () => 0,
      fetch: fakeFetch([
        notionError(503, 'service_unavailable'),
        { status: 200, body: { object: 'page', id: 'p', request_id: 'req-123' } },
      ]),
    });
    await drive(clock, gateway.client.pages.retrieve({ page_id: '1f2e3d4c5b6a79881f2e3d4c5b6a7988' }));
    expect(
      spans.map((s) => [s.name, s.attributes['notion.attempt'], s.attributes['http.response.status_code']]),
    ).toEqual([
      ['notion pages.retrieve', 1, 503],
      ['notion pages.retrieve', 2, 200],
    ]);
    expect(spans.every((s) => s.ended)).toBe(true);
    expect(spans[0]?.status?.code).toBe(2);
    expect(spans[0]?.attributes['notion.error_code']).toBe('service_unavailable');
    expect(spans[1]?.attributes['notion.request_id']).toBe('req-123');
    expect(spans[1]?.attributes['url.path']).toBe('/v1/pages/1f2e3d4c5b6a79881f2e3d4c5b6a7988');
    expect(JSON.stringify(spans)).not.toContain('ntn_spantesttoken');
  });
});
