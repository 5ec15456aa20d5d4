import { knownListenPort, servingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { containerPatch } from './support/patches.js';
import { perContainer } from './support/perContainer.js';

/**
 * Without a readinessProbe a container counts as ready as soon as it starts (kubernetes-semantics
 * docs/reference/probes.md#default-states), so the Service routes to it before the app listens, and a
 * rollout replaces old pods with new ones that may never answer.
 */
export const readinessProbeMissing = defineRule({
  target: 'workload',
  meta: {
    id: 'readiness-probe-missing',
    ruleOfUptime: 3,
    severity: 'error',
    looksAt: 'probes',
    summary: 'a serving container has no readinessProbe, so it gets traffic before it listens',
    fixable: true,
    messages: {
      noReadinessProbe:
        'container "{{container}}" has no readinessProbe: Kubernetes treats it as Ready the moment it starts (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes), ' +
        'so requests are routed to it before the app listens, and the rollout removes old pods for new ones that may never answer ({{servingReason}})',
    },
    fixes: {
      probeKnownPort: 'add a readinessProbe, e.g. tcpSocket on port {{port}} (better: httpGet on a health endpoint that fails when the app cannot serve)',
      addProbe: 'add a readinessProbe (httpGet on a health endpoint, or tcpSocket on the port the app listens on)',
    },
  },
  check: perContainer(servingContainers, (c, w) => {
    if (c.container.readinessProbe) return undefined;
    const port = knownListenPort(w, c);
    const data = { container: c.name, servingReason: w.servingReason };
    if (port === undefined) return { path: c.path, messageId: 'noReadinessProbe', data, fixId: 'addProbe' };
    return {
      path: c.path,
      messageId: 'noReadinessProbe',
      data: { ...data, port },
      fixId: 'probeKnownPort',
      patch: containerPatch(w, c, { readinessProbe: { tcpSocket: { port }, periodSeconds: 5, failureThreshold: 3 } }),
    };
  }),
});

export default readinessProbeMissing;
