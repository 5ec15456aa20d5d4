import { replicaFloor } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { workloadSpecPatch } from './support/patches.js';
import { deploymentRollout } from './support/rollout.js';

/**
 * `ResolveFenceposts` (docs/reference/workload-updates.md#deployment-rollingupdate): maxUnavailable rounds down and is capped at replicas; when it
 * resolves to replicas (1 replica with maxUnavailable 1 or 100%, or the extensions/v1beta1
 * default of 1, docs/reference/workload-updates.md#defaults-by-api-version and kubernetes/kubernetes#37728) the rollout may leave zero available pods.
 */
export const rolloutUnavailable = defineRule({
  target: 'workload',
  meta: {
    id: 'rollout-unavailable',
    ruleOfUptime: 6,
    severity: 'error',
    looksAt: 'rollout',
    summary: 'the rolling update may take every pod down at once (resolved maxUnavailable equals replicas)',
    fixable: true,
    messages: {
      resolvesToAll:
        '{{replicaCount}} with maxUnavailable {{maxUnavailable}} resolves to {{unavailable}} unavailable (maxSurge {{surge}}, https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment): the rollout may stop ' +
        'every old pod before a new one is Ready, leaving 0 available pods and refusing every request meanwhile',
      defaultResolvesToAll:
        '{{replicaCount}} with maxUnavailable unset ({{apiVersion}} defaults it to {{maxUnavailable}}, https://github.com/kubernetes/kubernetes/pull/39683) resolves to {{unavailable}} unavailable ' +
        '(maxSurge {{surge}}, https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment): the rollout may stop every old pod before a new one is Ready, leaving 0 available pods and refusing every request meanwhile',
    },
    fixes: {
      noUnavailable: 'set strategy.rollingUpdate.maxUnavailable: 0 so a new pod is Ready before an old one stops',
      noUnavailableOneSurge: 'set strategy.rollingUpdate.maxUnavailable: 0 and maxSurge: 1 so a new pod is Ready before an old one stops',
    },
  },
  check(w) {
    // An HPA sets the replica count; judge the rollout at the HPA's minimum (kube-linter#637).
    const floor = replicaFloor(w);
    const replicas = floor.replicas;
    if (w.kind !== 'Deployment' || !w.serving || !replicas) return [];
    const r = deploymentRollout(w.object, w.apiVersion, replicas);
    const f = r.fenceposts;
    if (!f || f.minAvailable > 0) return [];
    return [
      {
        path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
        messageId: r.unavailableSet ? 'resolvesToAll' : 'defaultResolvesToAll',
        data: {
          replicaCount: floor.says ?? `replicas ${replicas}`,
          maxUnavailable: r.maxUnavailable,
          apiVersion: w.apiVersion,
          unavailable: f.maxUnavailable,
          surge: f.maxSurge,
        },
        fixId: f.maxSurge === 0 ? 'noUnavailableOneSurge' : 'noUnavailable',
        patch: workloadSpecPatch({
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, ...(f.maxSurge === 0 ? { maxSurge: 1 } : {}) } },
        }),
      },
    ];
  },
});

export default rolloutUnavailable;
