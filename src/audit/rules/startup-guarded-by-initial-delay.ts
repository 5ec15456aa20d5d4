import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';
import { probeFieldPath, probeOf, resolvedProbe } from './support/probes.js';

/** A liveness initialDelaySeconds at or above this is a startup guard in disguise. */
export const LARGE_INITIAL_DELAY_SECONDS = 30;

/**
 * A startupProbe disables liveness until the app has started, then ends (docs/reference/probes.md#fields-and-defaults "A startupProbe
 * disables the other probes until it succeeds"). A fixed liveness initialDelaySeconds is wrong both
 * ways: too short kills a slow start, too long leaves a hung start unchecked.
 */
export const startupGuardedByInitialDelay = defineRule({
  target: 'workload',
  meta: {
    id: 'startup-guarded-by-initial-delay',
    ruleOfUptime: 3,
    severity: 'warning',
    looksAt: 'probes',
    summary: 'a large liveness initialDelaySeconds stands in for a startupProbe',
    messages: {
      fixedDelay:
        'livenessProbe of "{{container}}" waits a fixed initialDelaySeconds {{initialDelaySeconds}} and there is no startupProbe: ' +
        'a start slower than {{budget}} s is killed in a restart loop, and a faster one goes unchecked for {{initialDelaySeconds}} s',
    },
    fixes: {
      addStartupProbe:
        'add a startupProbe with the liveness handler, periodSeconds {{period}} and failureThreshold {{failureThreshold}} ' +
        '(the same worst-case budget), and drop livenessProbe.initialDelaySeconds',
    },
  },
  check: perContainer(longRunningContainers, (c) => {
    const liveness = resolvedProbe(c, 'livenessProbe');
    if (!liveness || probeOf(c, 'startupProbe') || liveness.initialDelaySeconds < LARGE_INITIAL_DELAY_SECONDS) return undefined;
    const budget = liveness.initialDelaySeconds + liveness.failureThreshold * liveness.periodSeconds;
    const period = Math.min(liveness.periodSeconds, 5);
    return {
      path: probeFieldPath(c, 'livenessProbe', 'initialDelaySeconds'),
      messageId: 'fixedDelay',
      data: { container: c.name, initialDelaySeconds: liveness.initialDelaySeconds, budget, period, failureThreshold: Math.ceil(budget / period) },
      fixId: 'addStartupProbe',
    };
  }),
});

export default startupGuardedByInitialDelay;
