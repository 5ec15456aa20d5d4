import { isLiteralZero } from '../../k8s/intOrPercent.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { daemonSetRollout, deploymentRollout } from './support/rollout.js';
import { indexedRecords } from './support/fields.js';

/**
 * A hostPort can be bound by one pod per node. A Deployment's surge pod (§3.1) needs a node where
 * the port is free; a DaemonSet's surge pod starts on the same node as the pod it replaces (§3.5),
 * where the port is always taken (KEP-1591 proposed rejecting this; not confirmed, §9).
 */
export const surgeBlockedByHostPort: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'surge-blocked-by-host-port',
    ruleOfUptime: 6,
    severity: 'warning',
    summary: 'a rolling update surges pods that need a hostPort already taken on the node',
  },
  check(w) {
    let surge: string | undefined;
    let stallsForever = false;
    if (w.kind === 'Deployment' && w.replicas) {
      const f = deploymentRollout(w.object, w.apiVersion, w.replicas).fenceposts;
      if (!f || f.maxSurge === 0) return [];
      surge = `maxSurge ${f.maxSurge}`;
      stallsForever = f.maxUnavailable === 0;
    } else if (w.kind === 'DaemonSet') {
      const r = daemonSetRollout(w.object);
      if (r.type !== 'RollingUpdate' || isLiteralZero(r.maxSurge)) return [];
      surge = `maxSurge ${r.maxSurge}`;
    } else {
      return [];
    }
    const results: RuleResult[] = [];
    for (const c of longRunningContainers(w)) {
      indexedRecords<NonNullable<typeof c.container.ports>[number]>(c.container.ports).forEach(({ item: p, index: i }) => {
        if (typeof p.hostPort !== 'number' || p.hostPort === 0) return;
        results.push({
          path: [...c.path, 'ports', i, 'hostPort'],
          container: c.name,
          message:
            w.kind === 'DaemonSet'
              ? `hostPort ${p.hostPort} with ${surge}: the surge pod starts on the same node as the pod it replaces, where port ${p.hostPort} is taken, so it stays Pending and the update stalls`
              : `hostPort ${p.hostPort} allows one such pod per node, and the rollout surges (${surge}): the new pod needs a node without one, so on a cluster with no spare node it stays Pending` +
                (stallsForever
                  ? ' and, with maxUnavailable 0, the rollout never proceeds'
                  : ' until an old pod is stopped first, which is downtime on that node'),
          fix:
            w.kind === 'DaemonSet'
              ? 'set maxSurge: 0 for hostPort DaemonSets, and drain each node first (preStop delay, externalTrafficPolicy health checks)'
              : 'drop hostPort and route through a Service, or keep a spare node and set maxUnavailable ≥ 1',
        });
      });
    }
    return results;
  },
};

export default surgeBlockedByHostPort;
