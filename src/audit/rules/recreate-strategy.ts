import { defineRule } from './support/defineRule.js';
import { deploymentRollout } from './support/rollout.js';
import { records } from './support/fields.js';

/** `Recreate` kills all old pods and starts new ones only after they have terminated (docs/reference/workload-updates.md#deployment-controller). */
export const recreateStrategy = defineRule({
  target: 'workload',
  meta: {
    id: 'recreate-strategy',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
    summary: 'strategy Recreate stops every pod before starting the new version',
    messages: {
      stopsEveryPod:
        'strategy Recreate terminates {{pods}} before the new version starts (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/): the Service has no Ready endpoint until a new pod passes ' +
        'its readiness probe, and every request in between fails',
      stopsEveryPodForClaim:
        'strategy Recreate terminates {{pods}} before the new version starts (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/): the Service has no Ready endpoint until a new pod passes ' +
        'its readiness probe, and every request in between fails (if Recreate is there for the claim {{claims}}, a StatefulSet or a ReadWriteMany volume keeps pods warm instead)',
    },
    fixes: {
      rollingUpdate: 'use strategy RollingUpdate with maxUnavailable: 0 and maxSurge: 1',
    },
  },
  check(w) {
    if (w.kind !== 'Deployment' || !w.serving) return [];
    const r = deploymentRollout(w.object, w.apiVersion, w.replicas ?? 1);
    if (r.type !== 'Recreate') return [];
    const claims = records<NonNullable<typeof w.podSpec.volumes>[number]>(w.podSpec.volumes)
      .map((v) => v.persistentVolumeClaim?.claimName)
      .filter((n): n is string => typeof n === 'string');
    return [
      {
        path: ['spec', 'strategy', 'type'],
        messageId: claims.length ? 'stopsEveryPodForClaim' : 'stopsEveryPod',
        data: { pods: (w.replicas ?? 1) === 1 ? 'its only pod' : `all ${w.replicas} pods`, claims: claims.map((c) => `"${c}"`).join(', ') },
        fixId: 'rollingUpdate',
      },
    ];
  },
});

export default recreateStrategy;
