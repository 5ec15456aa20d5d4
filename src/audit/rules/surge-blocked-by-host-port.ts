import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { surgeOf } from './support/rollout.js';
import { indexedRecords } from './support/fields.js';
import { perContainer } from './support/perContainer.js';

/**
 * A hostPort can be bound by one pod per node. A Deployment's surge pod (docs/reference/workload-updates.md#deployment-rollingupdate) needs a node where
 * the port is free; a DaemonSet's surge pod starts on the same node as the pod it replaces (docs/reference/workload-updates.md#daemonset),
 * where the port is always taken (KEP-1591 proposed rejecting this; not confirmed, docs/reference/workload-updates.md#daemonset).
 */
export const surgeBlockedByHostPort = defineRule({
  target: 'workload',
  meta: {
    id: 'surge-blocked-by-host-port',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
    summary: 'a rolling update surges pods that need a hostPort already taken on the node',
    messages: {
      portTakenOnNode:
        'hostPort {{hostPort}} with {{surge}}: the surge pod starts on the same node as the pod it replaces, where port {{hostPort}} is taken, so it stays Pending and the update stalls',
      neverProceeds:
        'hostPort {{hostPort}} allows one such pod per node, and the rollout surges ({{surge}}): the new pod needs a node without one, so on a cluster with no spare node it stays Pending' +
        ' and, with maxUnavailable 0, the rollout never proceeds',
      waitsForOldPod:
        'hostPort {{hostPort}} allows one such pod per node, and the rollout surges ({{surge}}): the new pod needs a node without one, so on a cluster with no spare node it stays Pending' +
        ' until an old pod is stopped first, which is downtime on that node',
    },
    fixes: {
      noSurgeDrainFirst: 'set maxSurge: 0 for hostPort DaemonSets, and drain each node first (preStop delay, externalTrafficPolicy health checks)',
      dropHostPort: 'drop hostPort and route through a Service, or keep a spare node and set maxUnavailable ≥ 1',
    },
  },
  check(w, settings) {
    const rollout = surgeOf(w);
    if (!rollout) return [];
    const messageId = w.kind === 'DaemonSet' ? 'portTakenOnNode' : rollout.stallsForever ? 'neverProceeds' : 'waitsForOldPod';
    const fixId = w.kind === 'DaemonSet' ? 'noSurgeDrainFirst' : 'dropHostPort';
    return perContainer(longRunningContainers, (c) =>
      indexedRecords<NonNullable<typeof c.container.ports>[number]>(c.container.ports).flatMap(({ item: p, index: i }) =>
        typeof p.hostPort !== 'number' || p.hostPort === 0
          ? []
          : [{ path: [...c.path, 'ports', i, 'hostPort'], messageId, data: { hostPort: p.hostPort, surge: rollout.surge }, fixId } as const],
      ),
    )(w, settings);
  },
});

export default surgeBlockedByHostPort;
