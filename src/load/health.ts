/**
 * Whether the generator itself held the schedule. A run whose generator fell behind cannot prove
 * zero drops (docs/reference/load-verification.md#zero-means-zero): the verdict is inconclusive, never pass.
 *
 * Criterion (documented in src/load/README.md): the generator is healthy when
 *  - the p99 of its scheduling lag (actual send − intended send, over every request) is at most
 *    `maxLagP99Ms` (default 100 ms: half the shortest endpoint-propagation delay the lab models,
 *    0.2 s for a kube-proxy-like consumer, docs/reference/traffic-routing.md#propagation-latency, so a drop window that long
 *    cannot fall between two late requests; timer jitter on a busy 2-core machine stays far below), and
 *  - no request left more than `maxLagMs` late (default 1000 ms: a stall that long means a whole
 *    second of the run went without load), and
 *  - it sent every request it planned (a run stopped early by the caller is not unhealthy, but
 *    planned counts only up to the stop).
 */
export interface HealthThresholds {
  maxLagP99Ms: number;
  maxLagMs: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { maxLagP99Ms: 100, maxLagMs: 1000 };

export interface GeneratorHealth {
  healthy: boolean;
  /** One sentence per broken criterion. */
  reasons: string[];
  lagP99Ms: number;
  lagMaxMs: number;
  planned: number;
  sent: number;
}

export function assessGeneratorHealth(
  observed: { lagP99Ms: number; lagMaxMs: number; planned: number; sent: number },
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): GeneratorHealth {
  const reasons: string[] = [];
  if (observed.lagP99Ms > thresholds.maxLagP99Ms) {
    reasons.push(`load generator lag p99 ${observed.lagP99Ms.toFixed(1)} ms exceeds ${thresholds.maxLagP99Ms} ms: it could not hold the rate`);
  }
  if (observed.lagMaxMs > thresholds.maxLagMs) {
    reasons.push(`load generator stalled: a request left ${observed.lagMaxMs.toFixed(0)} ms late (limit ${thresholds.maxLagMs} ms)`);
  }
  if (observed.sent < observed.planned) {
    reasons.push(`load generator sent ${observed.sent} of ${observed.planned} planned requests`);
  }
  return { healthy: reasons.length === 0, reasons, ...observed };
}
