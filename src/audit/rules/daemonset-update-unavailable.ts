import { featureAvailable } from '../../k8s/features.js';
import { isLiteralZero } from '../../k8s/intOrPercent.js';
import type { WorkloadView } from '../types.js';
import { longRunningContainers, servingContainers } from './support/containers.js';
import { preStopShapeOf } from './support/drain.js';
import { defineRule } from './support/defineRule.js';
import { daemonSetRollout } from './support/rollout.js';
import { portsOf } from './support/fields.js';

/**
 * DaemonSets default to maxUnavailable 1 and maxSurge 0 (docs/reference/workload-updates.md#daemonset): each node's pod is stopped before
 * its replacement starts, so node-local traffic (externalTrafficPolicy: Local, node ingress) has
 * no pod on that node meanwhile. maxSurge (GA 1.25) starts the new pod first. A DaemonSet whose
 * serving containers drain before they stop (a preStop that waits at least the propagation time,
 * a known hook that fails the proxy's health checks and waits for its connections, such as
 * Contour's shutdown-manager, or an in-app drain) has already moved the node's traffic away when
 * its pod stops: that is the fix this rule asks for when hostPort rules out surging.
 */
export const daemonsetUpdateUnavailable = defineRule({
  target: 'workload',
  meta: {
    id: 'daemonset-update-unavailable',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
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
    if (drainsBeforeStopping(w, settings.propagationSeconds)) return [];
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

/** Every serving container keeps serving until endpoint removal has propagated, so the node is drained first. */
function drainsBeforeStopping(w: WorkloadView, propagationSeconds: number): boolean {
  if (w.inAppDrain) return true;
  const servers = servingContainers(w);
  return (
    servers.length > 0 &&
    servers.every((c) => {
      const shape = preStopShapeOf(c, w);
      if (!shape) return false;
      if (shape.kind === 'sleep-action' || shape.kind === 'exec-sleep') return shape.seconds >= propagationSeconds;
      return shape.kind === 'opaque' && shape.delay === 'waits';
    })
  );
}

export default daemonsetUpdateUnavailable;
