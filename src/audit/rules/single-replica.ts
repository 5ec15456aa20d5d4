import type { WorkloadRule } from '../types.js';
import { lowestReplicas, REPLICATED_KINDS } from './support/containers.js';

/**
 * One pod means any node drain, eviction or crash takes the service down, and no PDB can protect
 * it without blocking drains for good (§4.1, §4.2). A StatefulSet update also deletes before it
 * recreates (§3.4). HPA-managed workloads are judged by minReplicas (kube-score#581).
 */
export const singleReplica: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'single-replica',
    ruleOfUptime: 6,
    severity: 'warning',
    summary: 'a serving workload runs a single replica',
  },
  check(w) {
    if (!w.serving || !REPLICATED_KINDS.has(w.kind)) return [];
    if (lowestReplicas(w) !== 1) return [];
    const hpa = w.hpas[0];
    const why = hpa ? `HorizontalPodAutoscaler ${hpa.name} may scale it down to minReplicas 1` : 'it runs replicas 1';
    const statefulSet = w.kind === 'StatefulSet' ? ', and every StatefulSet update deletes the pod before recreating it (§3.4)' : '';
    return [
      {
        path: hpa || w.object.spec?.replicas === undefined ? ['spec'] : ['spec', 'replicas'],
        message: `${why}: a node drain, eviction or crash leaves the Service with no endpoint, and no PodDisruptionBudget can protect one pod without blocking drains (§4.2)${statefulSet}`,
        fix: hpa ? 'set the HPA minReplicas to at least 2' : 'run at least 2 replicas, spread across nodes',
      },
    ];
  },
};

export default singleReplica;
