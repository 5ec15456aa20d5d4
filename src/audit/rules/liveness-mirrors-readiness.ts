import { sameHandler, sameTiming } from '../../k8s/probes.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { describeHandler, probeOf, resolvedProbe, withNumericPorts } from './support/probes.js';

/**
 * A liveness probe identical to the readiness probe (same handler, same timing) restarts the
 * container at the very moment readiness takes it out of rotation: an overloaded pod is killed
 * instead of being left to recover (§2.1). A liveness probe with a higher failureThreshold is the
 * documented pattern and is not flagged (kube-score#339).
 */
export const livenessMirrorsReadiness: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'liveness-mirrors-readiness',
    ruleOfUptime: 3,
    severity: 'warning',
    summary: 'livenessProbe repeats readinessProbe exactly, so a slow pod is restarted instead of taken out of rotation',
  },
  check(w) {
    const results: RuleResult[] = [];
    for (const c of longRunningContainers(w)) {
      const readiness = resolvedProbe(c, 'readinessProbe');
      const liveness = resolvedProbe(c, 'livenessProbe');
      if (!readiness || !liveness || !probeOf(c, 'livenessProbe')) continue;
      const same = sameHandler(withNumericPorts(readiness.handler, c.container), withNumericPorts(liveness.handler, c.container));
      if (!same || !sameTiming(readiness, liveness)) continue;
      results.push({
        path: [...c.path, 'livenessProbe'],
        container: c.name,
        message:
          `livenessProbe of "${c.name}" repeats its readinessProbe (${describeHandler(liveness.handler)}, every ${liveness.periodSeconds} s, ` +
          `${liveness.failureThreshold} failures): when the app is slow, readiness takes it out of rotation and liveness restarts it at the same moment, ` +
          'turning a slowdown into restarts and cut requests',
        fix: `give livenessProbe a cheaper handler (process alive, not dependencies) or a higher failureThreshold than readiness (e.g. ${liveness.failureThreshold * 2})`,
      });
    }
    return results;
  },
};

export default livenessMirrorsReadiness;
