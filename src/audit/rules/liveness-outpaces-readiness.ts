import { failureDetectionSeconds, sameHandler, sameTiming } from '../../k8s/probes.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { probeFieldPath, probeOf, resolvedProbe, withNumericPorts } from './support/probes.js';

/**
 * Liveness should only fire after readiness has taken the pod out of rotation: its failure window
 * (failureThreshold × periodSeconds + timeoutSeconds, §2.1) must not be shorter, and a
 * failureThreshold of 1 restarts the container on a single slow probe, cutting its in-flight
 * requests (kube-score#285 asked for this relational check).
 */
export const livenessOutpacesReadiness: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'liveness-outpaces-readiness',
    ruleOfUptime: 3,
    severity: 'warning',
    summary: 'livenessProbe restarts the container before readiness would take it out of rotation',
  },
  check(w) {
    const results: RuleResult[] = [];
    for (const c of longRunningContainers(w)) {
      const liveness = resolvedProbe(c, 'livenessProbe');
      if (!liveness) continue;
      const readiness = resolvedProbe(c, 'readinessProbe');
      if (probeOf(c, 'livenessProbe')?.failureThreshold === 1) {
        results.push({
          path: probeFieldPath(c, 'livenessProbe', 'failureThreshold'),
          container: c.name,
          message:
            `livenessProbe of "${c.name}" has failureThreshold 1: one probe slower than its ${liveness.timeoutSeconds} s timeout (a GC pause, a burst of load) ` +
            'restarts the container and cuts its in-flight requests before readiness can take it out of rotation',
          fix: `raise livenessProbe.failureThreshold to at least ${Math.max(3, (readiness?.failureThreshold ?? 3) + 1)}`,
        });
        continue;
      }
      if (!readiness) continue;
      const mirrored =
        sameHandler(withNumericPorts(readiness.handler, c.container), withNumericPorts(liveness.handler, c.container)) && sameTiming(readiness, liveness);
      if (mirrored) continue; // liveness-mirrors-readiness reports it
      const live = failureDetectionSeconds(liveness);
      const ready = failureDetectionSeconds(readiness);
      if (live >= ready) continue;
      results.push({
        path: [...c.path, 'livenessProbe'],
        container: c.name,
        message:
          `livenessProbe of "${c.name}" restarts the container after ${live} s of failures ` +
          `(${liveness.failureThreshold} × ${liveness.periodSeconds} s + ${liveness.timeoutSeconds} s timeout) but readinessProbe only takes it out of rotation after ${ready} s: ` +
          'a struggling pod is restarted while it still receives traffic',
        fix: `make liveness slower to fail than readiness: failureThreshold × periodSeconds above ${ready - liveness.timeoutSeconds} s`,
      });
    }
    return results;
  },
};

export default livenessOutpacesReadiness;
