import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { perProbe } from './support/perContainer.js';
import { probeFieldPath } from './support/probes.js';

/**
 * The kubelet's probe worker runs one probe at a time on a ticker of periodSeconds (docs/reference/probes.md#fields-and-defaults,
 * pkg/kubelet/prober/worker.go); a timeout longer than the period stretches every probe cycle to
 * the timeout, so failures take failureThreshold × timeoutSeconds to detect (kyverno/policies#1500).
 */
export const probeTimeoutExceedsPeriod = defineRule({
  target: 'workload',
  meta: {
    id: 'probe-timeout-exceeds-period',
    ruleOfUptime: 3,
    severity: 'warning',
    looksAt: 'probes',
    summary: "a probe's timeoutSeconds is longer than its periodSeconds",
    messages: {
      timeoutAbovePeriod:
        '{{field}} of "{{container}}" has timeoutSeconds {{timeoutSeconds}} above periodSeconds {{periodSeconds}}: the kubelet waits for each probe before the next, ' +
        'so a hanging endpoint is probed every {{timeoutSeconds}} s, not every {{periodSeconds}} s, and failure takes ' +
        '{{detectionSeconds}} s to notice instead of {{expectedDetectionSeconds}} s',
    },
    fixes: {
      shortenTimeout: 'set timeoutSeconds below periodSeconds (e.g. timeoutSeconds {{suggestedTimeout}}), or raise periodSeconds to {{suggestedPeriod}}',
    },
  },
  check: perProbe(longRunningContainers, ({ field, resolved: p }, c) => {
    if (p.timeoutSeconds <= p.periodSeconds) return undefined;
    return {
      path: probeFieldPath(c, field, 'timeoutSeconds'),
      messageId: 'timeoutAbovePeriod',
      data: {
        field,
        container: c.name,
        timeoutSeconds: p.timeoutSeconds,
        periodSeconds: p.periodSeconds,
        detectionSeconds: p.failureThreshold * p.timeoutSeconds,
        expectedDetectionSeconds: p.failureThreshold * p.periodSeconds,
        suggestedTimeout: Math.max(1, p.periodSeconds - 1),
        suggestedPeriod: p.timeoutSeconds + 1,
      },
      fixId: 'shortenTimeout',
    };
  }),
});

export default probeTimeoutExceedsPeriod;
