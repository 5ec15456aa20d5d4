import { defineRule } from './support/defineRule.js';

const ROLLED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout', 'DeploymentConfig']);

/**
 * With minReadySeconds 0 a pod is available at its first successful readiness probe (docs/reference/workload-updates.md#deployment-controller
 * IsPodAvailable) and the rollout removes an old pod at once, before load balancers that register
 * pod IPs (ALB, NEG) or the ingress controller's next sync (docs/reference/traffic-routing.md#ingress-and-load-balancers) send the new pod traffic.
 */
export const minReadySecondsUnset = defineRule({
  target: 'workload',
  meta: {
    id: 'min-ready-seconds-unset',
    ruleOfUptime: 6,
    severity: 'info',
    looksAt: 'rollout',
    summary: 'minReadySeconds is 0, so pods count as available before load balancers route to them',
    messages: {
      availableAtFirstProbe:
        'minReadySeconds is 0: a new pod counts as available at its first successful readiness probe (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/), so the rollout stops an old pod before ' +
        'ingress controllers (≥3.3 s sync) and IP-target load balancers have started sending the new one traffic (https://kubernetes.github.io/ingress-nginx/user-guide/cli-arguments/)',
    },
    fixes: {
      setMinReadySeconds: 'set minReadySeconds to your load balancer registration time (e.g. 10)',
    },
  },
  check(w) {
    if (!w.serving || !ROLLED_KINDS.has(w.kind)) return [];
    const value = w.object.spec?.minReadySeconds;
    if (typeof value === 'number' && value > 0) return [];
    return [
      {
        path: typeof value === 'number' ? ['spec', 'minReadySeconds'] : ['spec'],
        messageId: 'availableAtFirstProbe',
        fixId: 'setMinReadySeconds',
      },
    ];
  },
});

export default minReadySecondsUnset;
