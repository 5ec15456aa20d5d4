import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { PROBE_FIELDS, probeFieldPath, probeOf, resolvedProbe } from './support/probes.js';

/**
 * The kubelet's probe worker runs one probe at a time on a ticker of periodSeconds (§2.1,
 * pkg/kubelet/prober/worker.go); a timeout longer than the period stretches every probe cycle to
 * the timeout, so failures take failureThreshold × timeoutSeconds to detect (kyverno/policies#1500).
 */
export const probeTimeoutExceedsPeriod: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'probe-timeout-exceeds-period',
    ruleOfUptime: 3,
    severity: 'warning',
    summary: 'a probe timeoutSeconds is longer than its periodSeconds',
  },
  check(w) {
    const results: RuleResult[] = [];
    for (const c of longRunningContainers(w)) {
      for (const { field } of PROBE_FIELDS) {
        const p = resolvedProbe(c, field);
        if (!p || !probeOf(c, field) || p.timeoutSeconds <= p.periodSeconds) continue;
        results.push({
          path: probeFieldPath(c, field, 'timeoutSeconds'),
          container: c.name,
          message:
            `${field} of "${c.name}" has timeoutSeconds ${p.timeoutSeconds} above periodSeconds ${p.periodSeconds}: the kubelet waits for each probe before the next, ` +
            `so a hanging endpoint is probed every ${p.timeoutSeconds} s, not every ${p.periodSeconds} s, and failure takes ` +
            `${p.failureThreshold * p.timeoutSeconds} s to notice instead of ${p.failureThreshold * p.periodSeconds} s`,
          fix: `set timeoutSeconds below periodSeconds (e.g. timeoutSeconds ${Math.max(1, p.periodSeconds - 1)}), or raise periodSeconds to ${p.timeoutSeconds + 1}`,
        });
      }
    }
    return results;
  },
};

export default probeTimeoutExceedsPeriod;
