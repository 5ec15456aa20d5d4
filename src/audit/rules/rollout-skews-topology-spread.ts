import type { RuleResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { indexedRecords } from './support/fields.js';
import { matchLabelKeysHonoured, REVISION_LABEL, scopedToRevision, selectsOwnPods, type PodCountingTerm } from './support/placement.js';
import { surgeOf } from './support/rollout.js';

interface SpreadConstraint extends PodCountingTerm {
  maxSkew?: unknown;
  whenUnsatisfiable?: unknown;
}

/**
 * A spread constraint is evaluated only when a pod is scheduled, over every pod its selector
 * matches: during a surging rollout that includes the old ReplicaSet's pods, which are removed
 * afterwards, so the new pods can end up concentrated in fewer domains than maxSkew allows, and
 * nothing rebalances them (kubernetes/kubernetes#98215, #105661).
 */
export const rolloutSkewsTopologySpread = defineRule({
  target: 'workload',
  meta: {
    id: 'rollout-skews-topology-spread',
    ruleOfUptime: 6,
    severity: 'info',
    looksAt: 'rollout',
    summary: 'a topology spread constraint counts old pods during a rollout, so the new pods can end up skewed',
    messages: {
      oldPodsCounted:
        'topologySpreadConstraint (topologyKey {{topologyKey}}, maxSkew {{maxSkew}}, DoNotSchedule) counts the old pods of a surging rollout ({{surge}}) with the new ones: ' +
        'new pods are placed to balance pods that are about to be removed, so after the rollout they can sit in fewer domains than maxSkew allows, ' +
        'nothing rebalances them, and losing one domain then takes more of the {{replicas}} replicas than planned',
    },
    fixes: {
      scopeToRevision: 'add matchLabelKeys: [{{revisionLabel}}] to the constraint, so the spread is computed over pods of the same revision',
      rebalance:
        'on this Kubernetes version matchLabelKeys is not available for spread constraints: rebalance after rollouts (the descheduler strategy RemovePodsViolatingTopologySpreadConstraint), or roll without surge',
    },
  },
  check(w, settings) {
    // A Rollout's basic canary surges like a Deployment (surgeOf); its pods carry rollouts-pod-template-hash.
    if ((w.kind !== 'Deployment' && w.kind !== 'Rollout') || w.replicas === undefined) return [];
    const rollout = surgeOf(w);
    if (!rollout) return [];
    const keysWork = matchLabelKeysHonoured('spread', settings.kubernetesVersion);
    const results: Array<RuleResult<'oldPodsCounted', 'scopeToRevision' | 'rebalance'>> = [];
    for (const { item: c, index } of indexedRecords<SpreadConstraint>(w.podSpec.topologySpreadConstraints)) {
      if (c.whenUnsatisfiable !== 'DoNotSchedule' || typeof c.topologyKey !== 'string' || typeof c.maxSkew !== 'number') continue;
      // A skew as large as the replica count cannot be exceeded by where the new pods land.
      if (c.maxSkew >= w.replicas || !selectsOwnPods(c, w)) continue;
      if (keysWork && scopedToRevision(c, w)) continue;
      results.push({
        path: [...w.podSpecPath, 'topologySpreadConstraints', index],
        messageId: 'oldPodsCounted',
        data: { topologyKey: c.topologyKey, maxSkew: c.maxSkew, surge: rollout.surge, replicas: w.replicas, revisionLabel: REVISION_LABEL[w.kind] },
        fixId: keysWork ? 'scopeToRevision' : 'rebalance',
      });
    }
    return results;
  },
});

export default rolloutSkewsTopologySpread;
