import { sameHandler, sameTiming } from '../../k8s/probes.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';
import { describeHandler, probeOf, resolvedProbe, withNumericPorts } from './support/probes.js';

/**
 * A liveness probe identical to the readiness probe (same handler, same timing) restarts the
 * container at the very moment readiness takes it out of rotation: an overloaded pod is killed
 * instead of being left to recover (docs/reference/probes.md#fields-and-defaults). A liveness probe with a higher failureThreshold is the
 * documented pattern and is not flagged (kube-score#339).
 */
export const livenessMirrorsReadiness = defineRule({
  target: 'workload',
  meta: {
    id: 'liveness-mirrors-readiness',
    ruleOfUptime: 3,
    severity: 'warning',
    looksAt: 'probes',
    summary: 'livenessProbe repeats readinessProbe exactly, so a slow pod is restarted instead of taken out of rotation',
    messages: {
      mirrorsReadiness:
        'livenessProbe of "{{container}}" repeats its readinessProbe ({{handler}}, every {{periodSeconds}} s, {{failureThreshold}} failures): ' +
        'when the app is slow, readiness takes it out of rotation and liveness restarts it at the same moment, turning a slowdown into restarts and cut requests',
    },
    fixes: {
      cheaperOrSlower:
        'give livenessProbe a cheaper handler (process alive, not dependencies) or a higher failureThreshold than readiness (e.g. {{suggestedThreshold}})',
    },
  },
  check: perContainer(longRunningContainers, (c) => {
    const readiness = resolvedProbe(c, 'readinessProbe');
    const liveness = resolvedProbe(c, 'livenessProbe');
    if (!readiness || !liveness || !probeOf(c, 'livenessProbe')) return undefined;
    const same = sameHandler(withNumericPorts(readiness.handler, c.container), withNumericPorts(liveness.handler, c.container));
    if (!same || !sameTiming(readiness, liveness)) return undefined;
    return {
      path: [...c.path, 'livenessProbe'],
      messageId: 'mirrorsReadiness',
      data: {
        container: c.name,
        handler: describeHandler(liveness.handler),
        periodSeconds: liveness.periodSeconds,
        failureThreshold: liveness.failureThreshold,
        suggestedThreshold: liveness.failureThreshold * 2,
      },
      fixId: 'cheaperOrSlower',
    };
  }),
});

export default livenessMirrorsReadiness;
