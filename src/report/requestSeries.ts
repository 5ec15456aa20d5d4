import type { ErrorClass, RequestEvent } from '../events/schema.js';
import { ERROR_CLASSES, type RequestSeries } from './model.js';
import { percentileOfSorted, roundMs } from './percentile.js';

/** Bucket widths a chart may use; the smallest that keeps a run within MAX_BUCKETS wins. */
const BUCKET_WIDTHS_MS = [100, 200, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
const MAX_BUCKETS = 150;

/**
 * Picks a bucket width so a 5 s lab run (timings scaled down) and a 10 min cluster rollout both
 * give a readable number of points: per-second buckets would leave the short run with five bars.
 */
export function chooseBucketMs(durationMs: number): number {
  for (const width of BUCKET_WIDTHS_MS) if (durationMs / width <= MAX_BUCKETS) return width;
  return BUCKET_WIDTHS_MS[BUCKET_WIDTHS_MS.length - 1]!;
}

export function isFailure(request: RequestEvent): boolean {
  return request.error !== undefined || (request.status !== undefined && request.status >= 500);
}

/** A 5xx without a transport error is classed http-5xx, so every failure has exactly one class. */
export function failureClass(request: RequestEvent): ErrorClass {
  return request.error ?? 'http-5xx';
}

/** Latency from the intended send time (open model), so a stalled generator cannot hide queueing. */
export function latencyMs(request: RequestEvent): number {
  return request.end - request.intended;
}

/**
 * Requests per bucket of intended send time, successes and failures by class, and latency
 * percentiles of the successful requests (failures are shown by class, not folded into latency).
 */
export function buildRequestSeries(requests: readonly RequestEvent[], timeRange: { start: number; end: number }): RequestSeries {
  const bucketMs = chooseBucketMs(timeRange.end - timeRange.start);
  const first = Math.floor(timeRange.start / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((timeRange.end - first) / bucketMs));
  const perSecond = 1000 / bucketMs;

  const t = Array.from({ length: count }, (_, i) => first + i * bucketMs);
  const ok = new Array<number>(count).fill(0);
  const failed = Object.fromEntries(ERROR_CLASSES.map((c) => [c, new Array<number>(count).fill(0)])) as Record<ErrorClass, number[]>;
  const latencies: number[][] = Array.from({ length: count }, () => []);

  for (const request of requests) {
    const i = Math.min(count - 1, Math.max(0, Math.floor((request.intended - first) / bucketMs)));
    if (isFailure(request)) {
      failed[failureClass(request)][i]! += 1;
    } else {
      ok[i]! += 1;
      latencies[i]!.push(latencyMs(request));
    }
  }

  const percentile = (p: number) => latencies.map((sample) => (sample.length === 0 ? null : roundMs(percentileOfSorted(sample, p))));
  for (const sample of latencies) sample.sort((a, b) => a - b);

  return {
    bucketMs,
    t,
    okRps: ok.map((n) => n * perSecond),
    failedRps: Object.fromEntries(ERROR_CLASSES.map((c) => [c, failed[c].map((n) => n * perSecond)])) as Record<ErrorClass, number[]>,
    latency: { p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99), max: percentile(1) },
  };
}
