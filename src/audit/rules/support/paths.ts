/**
 * What the drain rules say about a traffic path (src/k8s/trafficPaths.ts): how long it takes to
 * let go of a pod, where that number came from, and how to set it, in the words messages use.
 */
import { PATH_BUDGETS, REMOVAL_SECONDS_ANNOTATION } from '../../../k8s/pathBudgets.js';
import { followsPropagation, objectLabel, type TrafficPath } from '../../../k8s/trafficPaths.js';
import type { AuditSettings, WorkloadView } from '../../types.js';
import { slowestPath } from '../../views.js';
import { seconds } from './drain.js';

/** Where a path's removal time came from, and how to change it: "default; set zerodrop.dev/removal-seconds on Service shop/web …". */
export function removalSource(path: TrafficPath): string {
  switch (path.removalFrom) {
    case 'default': {
      const outer = path.via[0];
      const where = outer ? ` on ${String(outer.kind)} ${objectLabel(outer)}` : '';
      return `the default for ${PATH_BUDGETS[path.kind].label}; set ${REMOVAL_SECONDS_ANNOTATION}${where} or paths.${path.kind}.removalSeconds in .zerodrop.yaml to your measured time`;
    }
    default:
      return path.setBy ?? path.removalFrom;
  }
}

/** "AWS NLB (IP targets) through Service shop/web port 80: removal assumed 120 s (the default …)". */
export function describeRemoval(path: TrafficPath): string {
  return `${path.description}: removal assumed ${seconds(path.removalSeconds)} (${removalSource(path)})`;
}

/**
 * The time a pod must keep serving after its deletion: the slowest path's removal time, or the
 * in-cluster assumption when no path is known (a workload no Service in the input selects), and
 * the path that set it, when one did with a number of its own.
 */
export function removalBudget(w: WorkloadView, settings: AuditSettings): { seconds: number; path: TrafficPath | undefined } {
  const slowest = slowestPath(w);
  if (!slowest) return { seconds: settings.propagationSeconds, path: undefined };
  return { seconds: slowest.removalSeconds, path: followsPropagation(slowest) ? undefined : slowest };
}
