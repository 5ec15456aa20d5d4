import type { WorkloadRule } from '../types.js';
import { lowestReplicas } from './support/containers.js';
import { workloadSpecPatch } from './support/patches.js';
import { deploymentRollout } from './support/rollout.js';

/**
 * `ResolveFenceposts` (§3.1): maxUnavailable rounds down and is capped at replicas; when it
 * resolves to replicas (1 replica with maxUnavailable 1 or 100%, or the extensions/v1beta1
 * default of 1, §3.3 and kubernetes/kubernetes#37728) the rollout may leave zero available pods.
 */
export const rolloutUnavailable: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'rollout-unavailable',
    ruleOfUptime: 6,
    severity: 'error',
    summary: 'the rolling update may take every pod down at once (resolved maxUnavailable equals replicas)',
    fixable: true,
  },
  check(w) {
    // An HPA sets the replica count; judge the rollout at the HPA's minimum (kube-linter#637).
    const replicas = lowestReplicas(w);
    if (w.kind !== 'Deployment' || !w.serving || !replicas) return [];
    const r = deploymentRollout(w.object, w.apiVersion, replicas);
    const f = r.fenceposts;
    if (!f || f.minAvailable > 0) return [];
    const source = r.unavailableSet ? `maxUnavailable ${r.maxUnavailable}` : `maxUnavailable unset (${w.apiVersion} defaults it to ${r.maxUnavailable}, §3.3)`;
    return [
      {
        path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
        message:
          `${w.hpas.length ? `HPA minReplicas ${replicas}` : `replicas ${replicas}`} with ${source} resolves to ${f.maxUnavailable} unavailable (maxSurge ${f.maxSurge}, §3.1): the rollout may stop ` +
          `every old pod before a new one is Ready, leaving 0 available pods and refusing every request meanwhile`,
        fix: `set strategy.rollingUpdate.maxUnavailable: 0${f.maxSurge === 0 ? ' and maxSurge: 1' : ''} so a new pod is Ready before an old one stops`,
        patch: workloadSpecPatch({
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, ...(f.maxSurge === 0 ? { maxSurge: 1 } : {}) } },
        }),
      },
    ];
  },
};

export default rolloutUnavailable;
