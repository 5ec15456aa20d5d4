import { lowestReplicas, REPLICATED_KINDS } from './support/containers.js';
import { defineRule } from './support/defineRule.js';

/**
 * Only the Eviction API honours PodDisruptionBudgets (docs/reference/disruption-budgets.md#what-a-budget-protects): without one, kubectl drain, the
 * cluster autoscaler or a node upgrade may evict every replica at once.
 */
export const pdbMissing = defineRule({
  target: 'workload',
  meta: {
    id: 'pdb-missing',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'disruption',
    summary: 'a multi-replica serving workload has no PodDisruptionBudget',
    messages: {
      noBudget:
        '{{replicas}} replicas and no PodDisruptionBudget selects them: kubectl drain, the cluster autoscaler or a node upgrade may evict all of them at once ' +
        '(only the Eviction API honours budgets, https://kubernetes.io/docs/concepts/workloads/pods/disruptions/)',
    },
    fixes: {
      addBudgetWithSelector: 'add a PodDisruptionBudget with maxUnavailable: 1 and selector matchLabels {{matchLabels}}',
      addBudget: 'add a PodDisruptionBudget with maxUnavailable: 1',
    },
  },
  check(w) {
    if (!w.serving || !REPLICATED_KINDS.has(w.kind) || w.pdbs.length > 0) return [];
    const replicas = Math.max(lowestReplicas(w) ?? 0, w.replicas ?? 0);
    if (replicas < 2) return [];
    // The workload's own selector, not the template labels: those often carry a version label
    // that changes on every release, and a PDB selecting it would stop covering the new pods.
    const selectorSpec = w.object.spec?.selector as { matchLabels?: Record<string, string> } | undefined;
    const labels = selectorSpec?.matchLabels ?? w.template.metadata?.labels ?? {};
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    return [
      {
        path: ['metadata', 'name'],
        messageId: 'noBudget',
        data: { replicas, matchLabels: `{${selector}}` },
        fixId: selector ? 'addBudgetWithSelector' : 'addBudget',
      },
    ];
  },
});

export default pdbMissing;
