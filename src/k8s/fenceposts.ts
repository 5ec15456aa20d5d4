import { scaledValue, type IntOrPercent } from './intOrPercent.js';

/**
 * `deployment_util.ResolveFenceposts` (docs/reference/workload-updates.md#deployment-rollingupdate): maxSurge rounds up,
 * maxUnavailable rounds down, and when both resolve to 0 the controller forces maxUnavailable = 1.
 * MaxUnavailable is capped at replicas.
 */
export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
  /** True when rounding produced 0/0 and the controller forced maxUnavailable to 1. */
  forcedUnavailable: boolean;
  /** replicas - maxUnavailable: the fewest available pods the rollout keeps. */
  minAvailable: number;
  /** replicas + maxSurge: the most non-terminating pods during the rollout. */
  maxTotal: number;
}

export function resolveFenceposts(replicas: number, maxSurge: IntOrPercent, maxUnavailable: IntOrPercent): Fenceposts {
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  let forcedUnavailable = false;
  if (surge === 0 && unavailable === 0) {
    unavailable = 1;
    forcedUnavailable = true;
  }
  unavailable = Math.min(unavailable, replicas);
  return {
    maxSurge: surge,
    maxUnavailable: unavailable,
    forcedUnavailable,
    minAvailable: Math.max(replicas - unavailable, 0),
    maxTotal: replicas + surge,
  };
}

/** DaemonSet/StatefulSet maxUnavailable: a percent rounds up (docs/reference/workload-updates.md#statefulset, docs/reference/workload-updates.md#daemonset). */
export function resolveRoundUp(value: IntOrPercent, total: number): number {
  return scaledValue(value, total, true);
}
