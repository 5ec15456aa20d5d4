import { describe, expect, it } from 'vitest';
import { dueCount, intendedOffsetMs, plannedRequests } from './schedule.js';
import { assessGeneratorHealth } from './health.js';

describe('open-model schedule', () => {
  it('spaces requests by 1/rate regardless of earlier ones', () => {
    expect(intendedOffsetMs(0, 200)).toBe(0);
    expect(intendedOffsetMs(1, 200)).toBe(5);
    expect(intendedOffsetMs(1000, 200)).toBe(5000);
  });

  it('counts due requests inclusively and caps them', () => {
    expect(dueCount(-1, 200, 100)).toBe(0);
    expect(dueCount(0, 200, 100)).toBe(1);
    expect(dueCount(5, 200, 100)).toBe(2);
    expect(dueCount(4.99, 200, 100)).toBe(1);
    expect(dueCount(10_000, 200, 100)).toBe(100);
  });

  it('plans rate × duration requests, bounded by the count', () => {
    expect(plannedRequests(1000, 200)).toBe(200);
    expect(plannedRequests(1001, 200)).toBe(201);
    expect(plannedRequests(1000, 200, 50)).toBe(50);
    expect(plannedRequests(1000, 3)).toBe(3);
  });
});

describe('generator health criterion', () => {
  it('is healthy within the lag budget with every planned request sent', () => {
    expect(assessGeneratorHealth({ lagP99Ms: 3, lagMaxMs: 20, planned: 100, sent: 100 })).toMatchObject({ healthy: true, reasons: [] });
  });
  it.each([
    [{ lagP99Ms: 101, lagMaxMs: 120, planned: 100, sent: 100 }, /lag p99 101.0 ms exceeds 100 ms/],
    [{ lagP99Ms: 10, lagMaxMs: 1200, planned: 100, sent: 100 }, /stalled/],
    [{ lagP99Ms: 1, lagMaxMs: 2, planned: 100, sent: 99 }, /sent 99 of 100/],
  ])('is unhealthy: %o', (observed, reason) => {
    const h = assessGeneratorHealth(observed);
    expect(h.healthy).toBe(false);
    expect(h.reasons.join()).toMatch(reason);
  });
});
