import type { WorkloadRule } from '../types.js';
import { containerPatch } from './support/patches.js';
import { knownListenPort, trafficContainers } from './support/containers.js';

/**
 * Without a readinessProbe a container counts as ready as soon as it starts (kubernetes-semantics
 * §2.1 "No readiness probe: Success"), so the Service routes to it before the app listens, and a
 * rollout replaces old pods with new ones that may never answer.
 */
export const readinessProbeMissing: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'readiness-probe-missing',
    ruleOfUptime: 3,
    severity: 'error',
    summary: 'a serving container has no readinessProbe, so it gets traffic before it listens',
    fixable: true,
  },
  check(w) {
    if (!w.serving) return [];
    return trafficContainers(w)
      .filter((c) => !c.container.readinessProbe)
      .map((c) => {
        const port = knownListenPort(w, c);
        return {
          path: c.path,
          container: c.name,
          message:
            `container "${c.name}" has no readinessProbe: Kubernetes treats it as Ready the moment it starts (§2.1), ` +
            `so requests are routed to it before the app listens, and the rollout removes old pods for new ones that may never answer (${w.servingReason})`,
          fix:
            port !== undefined
              ? `add a readinessProbe, e.g. tcpSocket on port ${port} (better: httpGet on a health endpoint that fails when the app cannot serve)`
              : 'add a readinessProbe (httpGet on a health endpoint, or tcpSocket on the port the app listens on)',
          ...(port !== undefined ? { patch: containerPatch(w, c, { readinessProbe: { tcpSocket: { port }, periodSeconds: 5, failureThreshold: 3 } }) } : {}),
        };
      });
  },
};

export default readinessProbeMissing;
