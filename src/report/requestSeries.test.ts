import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../events/schema.js';
import { buildRequestSeries, chooseBucketMs } from './requestSeries.js';

function req(intended: number, extra: Partial<RequestEvent> = {}): RequestEvent {
  return { type: 'request', t: intended, run: 'r', intended, start: intended, end: intended + 4, status: 200, ...extra };
}

describe('chooseBucketMs', () => {
  it.each([
    [5_000, 100],
    [15_000, 100],
    [16_000, 200],
    [60_000, 500],
    [150_000, 1000],
    [600_000, 5000],
    [3_600_000, 30_000],
    [36_000_000, 60_000],
  ])('a %i ms run gets %i ms buckets', (duration, bucket) => {
    expect(chooseBucketMs(duration)).toBe(bucket);
  });
});

describe('buildRequestSeries', () => {
  it('counts successes and failures by class per bucket of intended send time, as rates per second', () => {
    const s = buildRequestSeries(
      [req(0), req(50), req(120, { error: 'refused', status: undefined }), req(130, { status: 503 }), req(260, { error: 'reset', status: undefined })],
      { start: 0, end: 300 },
    );
    expect(s.bucketMs).toBe(100);
    expect(s.t).toEqual([0, 100, 200]);
    expect(s.okRps).toEqual([20, 0, 0]);
    expect(s.failedRps.refused).toEqual([0, 10, 0]);
    expect(s.failedRps['http-5xx']).toEqual([0, 10, 0]);
    expect(s.failedRps.reset).toEqual([0, 0, 10]);
    expect(s.failedRps.timeout).toEqual([0, 0, 0]);
  });

  it('places a request by when it was due, not when it left, so generator lag cannot move failures', () => {
    const s = buildRequestSeries([req(90, { start: 150, end: 160, error: 'refused', status: undefined })], { start: 0, end: 200 });
    expect(s.failedRps.refused).toEqual([10, 0]);
  });

  it('gives latency percentiles of successes only and null for buckets without one', () => {
    const ok = Array.from({ length: 10 }, (_, i) => req(i, { end: i + (i + 1) * 10 }));
    const s = buildRequestSeries([...ok, req(5, { error: 'timeout', status: undefined, end: 5005 })], { start: 0, end: 200 });
    expect(s.latency.p50[0]).toBe(50);
    expect(s.latency.p90[0]).toBe(90);
    expect(s.latency.max[0]).toBe(100);
    expect(s.latency.p99[1]).toBeNull();
  });

  it('clamps requests outside the range into the first and last bucket instead of dropping them', () => {
    const s = buildRequestSeries([req(-50), req(10_000)], { start: 0, end: 200 });
    expect(s.okRps).toEqual([10, 10]);
  });
});
