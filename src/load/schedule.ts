/**
 * Open-model schedule (docs/reference/load-verification.md#open-model-load, wrk2's "planned send time"): request `seq` is due at
 * `seq * 1000 / rate` ms after the start whatever happened to earlier requests, so a slow or
 * stalled server can never slow the generator down and hide its own latency (coordinated omission).
 */
export function intendedOffsetMs(seq: number, ratePerSecond: number): number {
  return (seq * 1000) / ratePerSecond;
}

/** How many requests are due by `elapsedMs` (inclusive), capped at `maxRequests`. */
export function dueCount(elapsedMs: number, ratePerSecond: number, maxRequests: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(maxRequests, Math.floor((elapsedMs * ratePerSecond) / 1000 + 1e-9) + 1);
}

/** Total requests a run of `durationMs` schedules (bounded by time AND count). */
export function plannedRequests(durationMs: number, ratePerSecond: number, maxRequests = Number.POSITIVE_INFINITY): number {
  // Requests with an intended offset strictly inside [0, durationMs).
  return Math.min(maxRequests, Math.ceil((durationMs * ratePerSecond) / 1000 - 1e-9));
}
