import type { RuleResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { indexedRecords } from './support/fields.js';
import { matchLabelKeysHonoured, REVISION_LABEL, scopedToRevision, selectsOwnPods, type PodCountingTerm } from './support/placement.js';
import { surgeOf } from './support/rollout.js';

const DOMAIN: Readonly<Record<string, string>> = {
  'kubernetes.io/hostname': 'node',
  'topology.kubernetes.io/zone': 'zone',
  'failure-domain.beta.kubernetes.io/zone': 'zone',
  'topology.kubernetes.io/region': 'region',
};

/**
 * Required pod anti-affinity against the workload's own labels puts at most one of its pods in
 * each topology domain, counting old and new pods together. A surge pod then needs a domain
 * without any: where every domain already runs one it stays Pending (openshift/console-operator
 * PR 1168, pytorch/ci-infra PR 984). A DaemonSet's surge pod starts on the node of the pod it
 * replaces, which the term always forbids.
 */
export const surgeBlockedByPodAntiAffinity = defineRule({
  target: 'workload',
  meta: {
    id: 'surge-blocked-by-pod-anti-affinity',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
    summary: 'required pod anti-affinity on its own labels leaves a surging rollout no place for the new pod',
    messages: {
      neverProceeds:
        'required pod anti-affinity on its own labels (topologyKey {{topologyKey}}) allows one pod of this workload per {{domain}}, old and new pods alike, and the rollout surges ({{surge}}): ' +
        'where every eligible {{domain}} already runs one ({{replicas}} replicas on {{replicas}} {{domain}}s), the new pod stays Pending and, with maxUnavailable 0, the rollout never proceeds',
      waitsForOldPod:
        'required pod anti-affinity on its own labels (topologyKey {{topologyKey}}) allows one pod of this workload per {{domain}}, old and new pods alike, and the rollout surges ({{surge}}): ' +
        'where every eligible {{domain}} already runs one, the new pod stays Pending until an old pod is stopped first, so the rollout runs below {{replicas}} ready pods',
      sameNode:
        'required pod anti-affinity on its own labels (topologyKey {{topologyKey}}) forbids the DaemonSet surge pod ({{surge}}) from the node of the pod it replaces, where it must run: it stays Pending and the update stalls',
    },
    fixes: {
      scopeToRevision: 'add matchLabelKeys: [{{revisionLabel}}] to the term, so only pods of the same revision repel each other',
      preferOrNoSurge:
        'on this Kubernetes version matchLabelKeys is not available for affinity terms: make the term preferredDuringSchedulingIgnoredDuringExecution, or set maxSurge: 0 with maxUnavailable: 1 and a preStop delay',
      noSurge: 'set maxSurge: 0 for this DaemonSet, so each node stops its old pod first (behind a preStop delay) and then starts the new one',
    },
  },
  check(w, settings) {
    const rollout = surgeOf(w);
    if (!rollout) return [];
    const affinity = w.podSpec.affinity as { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } } | undefined;
    const keysWork = matchLabelKeysHonoured('affinity', settings.kubernetesVersion);
    const results: Array<RuleResult<'neverProceeds' | 'waitsForOldPod' | 'sameNode', 'scopeToRevision' | 'preferOrNoSurge' | 'noSurge'>> = [];
    for (const { item: term, index } of indexedRecords<PodCountingTerm>(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution)) {
      if (typeof term.topologyKey !== 'string' || !selectsOwnPods(term, w)) continue;
      if (keysWork && scopedToRevision(term, w)) continue;
      const path = [...w.podSpecPath, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', index];
      const domain = DOMAIN[term.topologyKey] ?? `${term.topologyKey} domain`;
      const data = { topologyKey: term.topologyKey, domain, surge: rollout.surge, replicas: w.replicas, revisionLabel: REVISION_LABEL[w.kind] };
      if (w.kind === 'DaemonSet') results.push({ path, messageId: 'sameNode', data, fixId: keysWork ? 'scopeToRevision' : 'noSurge' });
      else
        results.push({
          path,
          messageId: rollout.stallsForever ? 'neverProceeds' : 'waitsForOldPod',
          data,
          fixId: keysWork ? 'scopeToRevision' : 'preferOrNoSurge',
        });
    }
    return results;
  },
});

export default surgeBlockedByPodAntiAffinity;
