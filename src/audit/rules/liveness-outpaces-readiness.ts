import { failureDetectionSeconds, sameHandler, sameTiming } from '../../k8s/probes.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';
import { probeFieldPath, probeOf, resolvedProbe, withNumericPorts } from './support/probes.js';

/**
 * Liveness should only fire after readiness has taken the pod out of rotation: its failure window
 * (failureThreshold × periodSeconds + timeoutSeconds, docs/reference/probes.md#fields-and-defaults) must not be shorter, and a
 * failureThreshold of 1 restarts the container on a single slow probe, cutting its in-flight
 * requests (kube-score#285 asked for this relational check).
 */
export const livenessOutpacesReadiness = defineRule({
  target: 'workload',
  meta: {
    id: 'liveness-outpaces-readiness',
    ruleOfUptime: 3,
    severity: 'warning',
    looksAt: 'probes',
    summary: 'livenessProbe restarts the container before readiness would take it out of rotation',
    messages: {
      thresholdOne:
        'livenessProbe of "{{container}}" has failureThreshold 1: one probe slower than its {{timeoutSeconds}} s timeout (a GC pause, a burst of load) ' +
        'restarts the container and cuts its in-flight requests before readiness can take it out of rotation',
      fasterThanReadiness:
        'livenessProbe of "{{container}}" restarts the container after {{livenessWindow}} s of failures ' +
        '({{failureThreshold}} × {{periodSeconds}} s + {{timeoutSeconds}} s timeout) but readinessProbe only takes it out of rotation after {{readinessWindow}} s: ' +
        'a struggling pod is restarted while it still receives traffic',
    },
    fixes: {
      raiseThreshold: 'raise livenessProbe.failureThreshold to at least {{minimumThreshold}}',
      slowerThanReadiness: 'make liveness slower to fail than readiness: failureThreshold × periodSeconds above {{readinessBudget}} s',
    },
  },
  check: perContainer(longRunningContainers, (c) => {
    const liveness = resolvedProbe(c, 'livenessProbe');
    if (!liveness) return undefined;
    const readiness = resolvedProbe(c, 'readinessProbe');
    if (probeOf(c, 'livenessProbe')?.failureThreshold === 1) {
      return {
        path: probeFieldPath(c, 'livenessProbe', 'failureThreshold'),
        messageId: 'thresholdOne',
        data: { container: c.name, timeoutSeconds: liveness.timeoutSeconds, minimumThreshold: Math.max(3, (readiness?.failureThreshold ?? 3) + 1) },
        fixId: 'raiseThreshold',
      };
    }
    if (!readiness) return undefined;
    const mirrored =
      sameHandler(withNumericPorts(readiness.handler, c.container), withNumericPorts(liveness.handler, c.container)) && sameTiming(readiness, liveness);
    if (mirrored) return undefined; // liveness-mirrors-readiness reports it
    const live = failureDetectionSeconds(liveness);
    const ready = failureDetectionSeconds(readiness);
    if (live >= ready) return undefined;
    return {
      path: [...c.path, 'livenessProbe'],
      messageId: 'fasterThanReadiness',
      data: {
        container: c.name,
        livenessWindow: live,
        failureThreshold: liveness.failureThreshold,
        periodSeconds: liveness.periodSeconds,
        timeoutSeconds: liveness.timeoutSeconds,
        readinessWindow: ready,
        readinessBudget: ready - liveness.timeoutSeconds,
      },
      fixId: 'slowerThanReadiness',
    };
  }),
});

export default livenessOutpacesReadiness;
