import { featureAvailable } from '../../k8s/features.js';
import { isLiteralZero } from '../../k8s/intOrPercent.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { daemonSetRollout } from './support/rollout.js';
import { portsOf } from './support/fields.js';

/**
 * DaemonSets default to maxUnavailable 1 and maxSurge 0 (docs/reference/workload-updates.md#daemonset): each node's pod is stopped before
 * its replacement starts, so node-local traffic (externalTrafficPolicy: Local, node ingress) has
 * no pod on that node meanwhile. maxSurge (GA 1.25) starts the new pod first.
 */
export const daemonsetUpdateUnavailable = defineRule({
  target: 'workload',
  meta: {
    id: 'daemonset-update-unavailable',
    ruleOfUptime: 6,
    severity: 'warning',
    summary: 'a serving DaemonSet updates with maxSurge 0, so each node loses its pod during the update',
    messages: {
      surgeZeroByDefault:
        "DaemonSet updates with maxSurge 0 (the default, https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/): each node's pod is stopped before its replacement starts, so traffic that " +
        'stays on the node (externalTrafficPolicy: Local, node-local ingress, hostPort) fails there until the new pod is Ready',
      surgeZero:
        "DaemonSet updates with maxSurge 0: each node's pod is stopped before its replacement starts, so traffic that " +
        'stays on the node (externalTrafficPolicy: Local, node-local ingress, hostPort) fails there until the new pod is Ready',
    },
    fixes: {
      drainNodeFirst:
        'hostPort rules surge out: make each node stop receiving traffic first (preStop delay longer than the load balancer health check), or drop hostPort and set maxSurge: 1, maxUnavailable: 0',
      setMaxSurge: 'set updateStrategy.rollingUpdate.maxSurge: 1 and maxUnavailable: 0',
      upgradeOrDrain: 'upgrade to Kubernetes 1.22+ for DaemonSet maxSurge, or add a preStop delay so the node drains first',
    },
  },
  check(w, settings) {
    if (w.kind !== 'DaemonSet' || !w.serving) return [];
    const r = daemonSetRollout(w.object);
    if (r.type !== 'RollingUpdate' || !isLiteralZero(r.maxSurge)) return [];
    const hostPort = longRunningContainers(w).some((c) => portsOf(c.container).some((p) => typeof p.hostPort === 'number' && p.hostPort > 0));
    const canSurge = featureAvailable('daemonSetMaxSurge', settings.kubernetesVersion);
    return [
      {
        path: ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'],
        messageId: r.surgeSet ? 'surgeZero' : 'surgeZeroByDefault',
        fixId: hostPort ? 'drainNodeFirst' : canSurge ? 'setMaxSurge' : 'upgradeOrDrain',
      },
    ];
  },
});

export default daemonsetUpdateUnavailable;
