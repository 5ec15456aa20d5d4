/**
 * PodDisruptionBudget arithmetic (docs/reference/disruption-budgets.md#budget-arithmetic, `pkg/controller/disruption`):
 * both minAvailable and maxUnavailable percentages round UP (unlike Deployment maxUnavailable),
 * and disruptionsAllowed = currentHealthy − desiredHealthy, floored at 0.
 */
import { scaledValue, type IntOrPercent } from './intOrPercent.js';

export interface DisruptionBudgetSpec {
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
}

export interface DisruptionBudget {
  /** Pods that must stay healthy. */
  desiredHealthy: number;
  /** Voluntary evictions allowed when all `expectedPods` are healthy. */
  disruptionsAllowed: number;
  /** Which field decided it. */
  decidedBy: 'minAvailable' | 'maxUnavailable' | 'none';
}

export function disruptionBudget(spec: DisruptionBudgetSpec, expectedPods: number): DisruptionBudget {
  let desiredHealthy = 0;
  let decidedBy: DisruptionBudget['decidedBy'] = 'none';
  if (spec.minAvailable !== undefined) {
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods, true);
    decidedBy = 'minAvailable';
  } else if (spec.maxUnavailable !== undefined) {
    desiredHealthy = Math.max(expectedPods - scaledValue(spec.maxUnavailable, expectedPods, true), 0);
    decidedBy = 'maxUnavailable';
  }
  return { desiredHealthy, disruptionsAllowed: Math.max(expectedPods - desiredHealthy, 0), decidedBy };
}
