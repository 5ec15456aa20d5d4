import { replicaFloor } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { rollingArithmeticOf } from './support/rollout.js';

/**
 * `ResolveFenceposts` (docs/reference/workload-updates.md#deployment-rollingupdate): maxUnavailable rounds down and is capped at replicas; when it
 * resolves to replicas (1 replica with maxUnavailable 1 or 100%, or the extensions/v1beta1
 * default of 1, docs/reference/workload-updates.md#defaults-by-api-version and kubernetes/kubernetes#37728) the rollout may leave zero available pods.
 * An Argo Rollouts basic canary and a DeploymentConfig's Rolling strategy resolve theirs the same
 * way (docs/reference/argo-rollouts-and-deploymentconfig.md): openshift/origin#7562 is this outage on one pod.
 */
const OWN_WORDING = {
  Rollout: { messageId: 'canaryResolvesToAll', noUnavailable: 'canaryNoUnavailable', oneSurge: 'canaryNoUnavailableOneSurge' },
  DeploymentConfig: { messageId: 'rollingParamsResolveToAll', noUnavailable: 'rollingParamsNoUnavailable', oneSurge: 'rollingParamsNoUnavailableOneSurge' },
} as const;

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
      canaryResolvesToAll:
        '{{replicaCount}} with canary maxUnavailable {{maxUnavailable}}{{defaulted}} resolves to {{unavailable}} unavailable (maxSurge {{surge}}; a canary without trafficRouting scales like a Deployment, ' +
        'https://argoproj.github.io/argo-rollouts/features/canary/#mimicking-rolling-update): the rollout may stop every stable pod before a canary pod is Ready, leaving 0 available pods and refusing every request meanwhile',
      rollingParamsResolveToAll:
        '{{replicaCount}} with rollingParams maxUnavailable {{maxUnavailable}}{{defaulted}} resolves to {{unavailable}} unavailable (maxSurge {{surge}}, ' +
        'https://docs.openshift.com/container-platform/4.6/applications/deployments/deployment-strategies.html): the rolling deployment may stop every old pod before a new one is Ready, ' +
        'leaving 0 available pods and refusing every request meanwhile (openshift/origin#7562)',
    },
    fixes: {
      noUnavailable: 'set strategy.rollingUpdate.maxUnavailable: 0 so a new pod is Ready before an old one stops',
      noUnavailableOneSurge: 'set strategy.rollingUpdate.maxUnavailable: 0 and maxSurge: 1 so a new pod is Ready before an old one stops',
      canaryNoUnavailable: 'set strategy.canary.maxUnavailable: 0 so a canary pod is Ready before a stable one stops',
      canaryNoUnavailableOneSurge: 'set strategy.canary.maxUnavailable: 0 and maxSurge: 1 so a canary pod is Ready before a stable one stops',
      rollingParamsNoUnavailable: 'set strategy.rollingParams.maxUnavailable: 0 so a new pod is Ready before an old one stops',
      rollingParamsNoUnavailableOneSurge: 'set strategy.rollingParams.maxUnavailable: 0 and maxSurge: 1 so a new pod is Ready before an old one stops',
    },
  },
  check(w) {
    // An HPA sets the replica count; judge the rollout at the HPA's minimum (kube-linter#637).
    const floor = replicaFloor(w);
    const replicas = floor.replicas;
    if (!w.serving || !replicas) return [];
    const r = rollingArithmeticOf(w, replicas);
    const f = r?.fenceposts;
    if (!r || !f || f.minAvailable > 0) return [];
    const withSurge = f.maxSurge === 0;
    const data = {
      replicaCount: floor.says ?? `replicas ${replicas}`,
      maxUnavailable: r.maxUnavailable,
      apiVersion: w.apiVersion,
      unavailable: f.maxUnavailable,
      surge: f.maxSurge,
    };
    const patch = r.noUnavailablePatch(withSurge);
    // Rollouts and DeploymentConfigs name their own fields; their messages say when maxUnavailable is a default.
    const own = r.kind === 'Deployment' ? undefined : OWN_WORDING[r.kind];
    if (own)
      return [
        {
          path: r.unavailablePath,
          messageId: own.messageId,
          data: { ...data, defaulted: r.unavailableSet ? '' : ' (unset, the default)' },
          fixId: withSurge ? own.oneSurge : own.noUnavailable,
          patch,
        },
      ];
    return [
      {
        path: r.unavailablePath,
        messageId: r.unavailableSet ? 'resolvesToAll' : 'defaultResolvesToAll',
        data,
        fixId: withSurge ? 'noUnavailableOneSurge' : 'noUnavailable',
        patch,
      },
    ];
  },
});

export default rolloutUnavailable;
