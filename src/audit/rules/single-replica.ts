import { lowestReplicas, REPLICATED_KINDS } from './support/containers.js';
import { defineRule } from './support/defineRule.js';

const NO_ENDPOINT =
  'a node drain, eviction or crash leaves the Service with no endpoint, and no PodDisruptionBudget can protect one pod without blocking drains (§4.2)';
const DELETES_FIRST = ', and every StatefulSet update deletes the pod before recreating it (§3.4)';

/**
 * One pod means any node drain, eviction or crash takes the service down, and no PDB can protect
 * it without blocking drains for good (§4.1, §4.2). A StatefulSet update also deletes before it
 * recreates (§3.4). HPA-managed workloads are judged by minReplicas (kube-score#581).
 */
export const singleReplica = defineRule({
  target: 'workload',
  meta: {
    id: 'single-replica',
    ruleOfUptime: 6,
    severity: 'warning',
    summary: 'a serving workload runs a single replica',
    messages: {
      oneReplica: `it runs replicas 1: ${NO_ENDPOINT}`,
      oneStatefulSetReplica: `it runs replicas 1: ${NO_ENDPOINT}${DELETES_FIRST}`,
      hpaMinimumOne: `HorizontalPodAutoscaler {{hpa}} may scale it down to minReplicas 1: ${NO_ENDPOINT}`,
      hpaMinimumOneStatefulSet: `HorizontalPodAutoscaler {{hpa}} may scale it down to minReplicas 1: ${NO_ENDPOINT}${DELETES_FIRST}`,
    },
    fixes: {
      addReplicas: 'run at least 2 replicas, spread across nodes',
      raiseHpaMinimum: 'set the HPA minReplicas to at least 2',
    },
  },
  check(w) {
    if (!w.serving || !REPLICATED_KINDS.has(w.kind)) return [];
    if (lowestReplicas(w) !== 1) return [];
    const hpa = w.hpas[0];
    const statefulSet = w.kind === 'StatefulSet';
    return [
      {
        path: hpa || w.object.spec?.replicas === undefined ? ['spec'] : ['spec', 'replicas'],
        messageId: hpa ? (statefulSet ? 'hpaMinimumOneStatefulSet' : 'hpaMinimumOne') : statefulSet ? 'oneStatefulSetReplica' : 'oneReplica',
        ...(hpa ? { data: { hpa: hpa.name } } : {}),
        fixId: hpa ? 'raiseHpaMinimum' : 'addReplicas',
      },
    ];
  },
});

export default singleReplica;
