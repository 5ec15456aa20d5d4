import { preStopDelayHandler } from '../../k8s/preStop.js';
import type { WorkloadRule } from '../types.js';
import { trafficContainers } from './support/containers.js';
import { graceFieldsFor, preStopOf, preStopPath } from './support/drain.js';
import { containerPatch } from './support/patches.js';

/**
 * Endpoint removal and the kubelet's stop signal start at the same moment and nothing orders them
 * (kubernetes-semantics §1.3, §1.2 step 3): a container without a preStop hook is signalled at
 * t≈0 while kube-proxy, ingress controllers and load balancers still route to it (§1.6). Every
 * server stops accepting on its graceful signal (§6.2 "Common consequence"), so requests in that
 * window are refused. Skipped when the workload declares zerodrop.dev/in-app-drain.
 */
export const prestopMissing: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'prestop-missing',
    ruleOfUptime: 4,
    severity: 'error',
    summary: 'a serving container has no preStop delay, so it stops listening while endpoints still route to it',
    fixable: true,
  },
  check(w, settings) {
    if (!w.serving || w.inAppDrain) return [];
    return trafficContainers(w)
      .filter((c) => !preStopOf(c))
      .map((c) => {
        const handler = preStopDelayHandler(
          settings.propagationSeconds,
          settings.kubernetesVersion,
          typeof c.container.image === 'string' ? c.container.image : undefined,
        );
        const form = handler?.sleep
          ? `lifecycle.preStop.sleep.seconds: ${handler.sleep.seconds}`
          : `lifecycle.preStop.exec.command: ["sleep", "${Math.ceil(settings.propagationSeconds)}"]`;
        return {
          path: preStopPath(c),
          container: c.name,
          message:
            `container "${c.name}" has no preStop hook: it gets its stop signal the moment the pod is deleted, while endpoint removal is still ` +
            `propagating (assumed ${settings.propagationSeconds} s, --propagation-seconds), so requests routed to it in that window hit a closed listener (${w.servingReason})`,
          fix: handler
            ? `add ${form} (or, if the app itself keeps serving after SIGTERM, annotate zerodrop.dev/in-app-drain: "true")`
            : `the image has no sleep binary and this Kubernetes version has no sleep action: delay shutdown in the app and annotate zerodrop.dev/in-app-drain: "true"`,
          ...(handler ? { patch: containerPatch(w, c, { lifecycle: { preStop: handler } }, graceFieldsFor(w, c, settings.propagationSeconds)) } : {}),
        };
      });
  },
};

export default prestopMissing;
