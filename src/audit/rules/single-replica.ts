import { imageRoleOf } from '../../k8s/containerRoles.js';
import type { Datastore } from '../../k8s/datastores.js';
import type { WorkloadView } from '../types.js';
import { describeWorkload, podsOf, REPLICATED_KINDS, replicaFloor } from './support/containers.js';
import { defineRule } from './support/defineRule.js';

const NO_ENDPOINT =
  'a node drain, eviction or crash leaves {{service}} with no endpoint, and no PodDisruptionBudget can protect one pod without blocking drains (https://kubernetes.io/docs/concepts/workloads/pods/disruptions/)';
const DELETES_FIRST =
  ', and every StatefulSet update deletes the pod before recreating it (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies)';

/**
 * The carrying Service that has only this one pod behind it, counting every workload of the input
 * it selects (a Service over v1/v2/v3 Deployments of one replica each has three), for messages;
 * a workload assumed serving without any Service in the input has an unnamed one.
 */
function loneService(w: WorkloadView): string | undefined {
  if (w.backends.length === 0) return w.services.length === 0 ? 'the Service in front of it' : undefined;
  // A Service that only carries admission calls is webhook-single-pod's: its harm is rejected writes.
  const userFacing = w.backends.filter((b) => w.servingPorts.some((p) => p.service === b.service.object && p.traffic === 'user'));
  const lone = userFacing.find((b) => b.workloads.reduce((n, x) => n + podsOf(x), 0) <= 1);
  return lone ? `Service ${lone.service.name}` : undefined;
}

/** The datastore the serving container runs, when it is a known stateful singleton. */
function datastoreOf(w: WorkloadView): Datastore | undefined {
  const candidates = w.servers.length > 0 ? w.servers : w.containers.filter((c) => c.role === 'main');
  for (const c of candidates) {
    const role = imageRoleOf(c.container);
    if (role?.kind === 'datastore') return role.datastore;
  }
  return undefined;
}

/**
 * One pod behind a Service means any node drain, eviction or crash takes the service down, and no
 * PDB can protect it without blocking drains for good (docs/reference/disruption-budgets.md#budget-arithmetic, docs/reference/disruption-budgets.md#what-a-budget-protects). A StatefulSet update also
 * deletes before it recreates (docs/reference/workload-updates.md#statefulset). Pods are counted per Service, across every workload it
 * selects; HPA-managed workloads are judged by minReplicas (kube-score#581), reported at the HPA.
 * A known datastore (Redis, PostgreSQL, ...) is never told to run a second replica: that makes a
 * second, independent datastore behind the same Service.
 */
export const singleReplica = defineRule({
  target: 'workload',
  meta: {
    id: 'single-replica',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
    summary: 'a serving workload is the only pod behind its Service',
    messages: {
      oneReplica: `it runs replicas {{replicas}} and is the only pod behind {{service}}: ${NO_ENDPOINT}`,
      oneStatefulSetReplica: `it runs replicas {{replicas}} and is the only pod behind {{service}}: ${NO_ENDPOINT}${DELETES_FIRST}`,
      hpaMinimumOne: `HorizontalPodAutoscaler {{hpa}} may scale {{workload}} down to minReplicas {{minReplicas}}: ${NO_ENDPOINT}`,
      hpaMinimumOneStatefulSet: `HorizontalPodAutoscaler {{hpa}} may scale {{workload}} down to minReplicas {{minReplicas}}: ${NO_ENDPOINT}${DELETES_FIRST}`,
      scaledObjectMinimumOne: `KEDA ScaledObject {{scaledObject}} may keep {{workload}} at one pod ({{floor}}): ${NO_ENDPOINT}`,
      scaledObjectMinimumOneStatefulSet: `KEDA ScaledObject {{scaledObject}} may keep {{workload}} at one pod ({{floor}}): ${NO_ENDPOINT}${DELETES_FIRST}`,
    },
    fixes: {
      addReplicas: 'run at least 2 replicas, spread across nodes',
      raiseHpaMinimum: 'set the HPA minReplicas to at least 2',
      raiseScaledObjectMinimum: 'set the ScaledObject minReplicaCount to at least 2',
      replicateDatastore:
        'do not add replicas here: a second {{datastore}} pod would be an independent copy with its own data behind the same Service. ' +
        'Replicate with {{replicate}}, or accept that the Service is down while its one pod is replaced',
    },
  },
  check(w) {
    if (!w.serving || !REPLICATED_KINDS.has(w.kind)) return [];
    const floor = replicaFloor(w);
    if (floor.replicas !== 1) return [];
    const service = loneService(w);
    if (service === undefined) return [];
    const hpa = floor.by?.kind === 'HorizontalPodAutoscaler' ? floor.by : undefined;
    const scaledObject = floor.by?.kind === 'ScaledObject' ? floor.by : undefined;
    const statefulSet = w.kind === 'StatefulSet';
    const datastore = datastoreOf(w);
    const fix = datastore
      ? { fixId: 'replicateDatastore' as const, data: { datastore: datastore.name, replicate: datastore.replicate } }
      : { fixId: hpa ? ('raiseHpaMinimum' as const) : scaledObject ? ('raiseScaledObjectMinimum' as const) : ('addReplicas' as const), data: {} };
    const autoscaler = hpa ?? scaledObject;
    if (autoscaler) {
      // Reported where the floor is written: the HPA's minReplicas, the ScaledObject's minReplicaCount (or its paused-replicas annotation).
      const field = hpa ? 'minReplicas' : 'minReplicaCount';
      const written = (autoscaler.object.spec as Record<string, unknown> | undefined)?.[field];
      const path = written !== undefined ? ['spec', field] : hpa ? ['spec'] : ['metadata', 'annotations'];
      const data = hpa
        ? { hpa: hpa.name, minReplicas: written === undefined ? '1 (unset, the default)' : String(written) }
        : { scaledObject: autoscaler.name, floor: floor.says ?? '' };
      return [
        {
          at: autoscaler,
          path,
          messageId: hpa
            ? statefulSet
              ? 'hpaMinimumOneStatefulSet'
              : 'hpaMinimumOne'
            : statefulSet
              ? 'scaledObjectMinimumOneStatefulSet'
              : 'scaledObjectMinimumOne',
          data: { ...data, workload: describeWorkload(w), service, ...fix.data },
          fixId: fix.fixId,
        },
      ];
    }
    const written = w.object.spec?.replicas;
    return [
      {
        path: written === undefined ? ['spec'] : ['spec', 'replicas'],
        messageId: statefulSet ? 'oneStatefulSetReplica' : 'oneReplica',
        data: { replicas: written === undefined ? '1 (unset, the default)' : String(written), service, ...fix.data },
        fixId: fix.fixId,
      },
    ];
  },
});

export default singleReplica;
