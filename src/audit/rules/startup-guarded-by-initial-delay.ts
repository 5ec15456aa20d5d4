import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { probeFieldPath, probeOf, resolvedProbe } from './support/probes.js';

/** A liveness initialDelaySeconds at or above this is a startup guard in disguise. */
export const LARGE_INITIAL_DELAY_SECONDS = 30;

/**
 * A startupProbe disables liveness until the app has started, then ends (§2.1 "A startupProbe
 * disables the other probes until it succeeds"). A fixed liveness initialDelaySeconds is wrong both
 * ways: too short kills a slow start, too long leaves a hung start unchecked.
 */
export const startupGuardedByInitialDelay: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'startup-guarded-by-initial-delay',
    ruleOfUptime: 3,
    severity: 'warning',
    summary: 'a large liveness initialDelaySeconds stands in for a startupProbe',
  },
  check(w) {
    const results: RuleResult[] = [];
    for (const c of longRunningContainers(w)) {
      const liveness = resolvedProbe(c, 'livenessProbe');
      if (!liveness || probeOf(c, 'startupProbe') || liveness.initialDelaySeconds < LARGE_INITIAL_DELAY_SECONDS) continue;
      const budget = liveness.initialDelaySeconds + liveness.failureThreshold * liveness.periodSeconds;
      const period = Math.min(liveness.periodSeconds, 5);
      results.push({
        path: probeFieldPath(c, 'livenessProbe', 'initialDelaySeconds'),
        container: c.name,
        message:
          `livenessProbe of "${c.name}" waits a fixed initialDelaySeconds ${liveness.initialDelaySeconds} and there is no startupProbe: ` +
          `a start slower than ${budget} s is killed in a restart loop, and a faster one goes unchecked for ${liveness.initialDelaySeconds} s`,
        fix:
          `add a startupProbe with the liveness handler, periodSeconds ${period} and failureThreshold ${Math.ceil(budget / period)} ` +
          '(the same worst-case budget), and drop livenessProbe.initialDelaySeconds',
      });
    }
    return results;
  },
};

export default startupGuardedByInitialDelay;
