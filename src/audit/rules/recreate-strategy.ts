import { defineRule } from './support/defineRule.js';
import { deploymentRollout } from './support/rollout.js';
import { records } from './support/fields.js';
import { deploymentConfigStrategyOf } from '../../k8s/deploymentConfig.js';

/**
 * `Recreate` kills all old pods and starts new ones only after they have terminated (docs/reference/workload-updates.md#deployment-controller).
 * A DeploymentConfig's `Recreate` does the same: it scales the old ReplicationController to zero before scaling up the new one
 * (docs/reference/argo-rollouts-and-deploymentconfig.md#deploymentconfig).
 */
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
      deploymentConfigStopsEveryPod:
        'strategy Recreate scales the old ReplicationController ({{pods}}) to zero before the new one starts (https://docs.openshift.com/container-platform/4.6/applications/deployments/deployment-strategies.html): ' +
        'the Service has no Ready endpoint until a new pod passes its readiness probe, and every request in between fails',
    },
    fixes: {
      rollingUpdate: 'use strategy RollingUpdate with maxUnavailable: 0 and maxSurge: 1',
      rolling: 'use strategy Rolling with rollingParams maxUnavailable: 0 and maxSurge: 1',
    },
  },
  check(w) {
    if (w.kind === 'DeploymentConfig' && w.serving && w.replicas) {
      if (deploymentConfigStrategyOf(w.object).type !== 'Recreate') return [];
      return [
        {
          path: ['spec', 'strategy', 'type'],
          messageId: 'deploymentConfigStopsEveryPod',
          data: { pods: w.replicas === 1 ? 'its only pod' : `all ${w.replicas} pods` },
          fixId: 'rolling',
        },
      ];
    }
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
