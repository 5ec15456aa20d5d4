import { disruptionBudget, type DisruptionBudgetSpec } from '../../k8s/disruptionBudget.js';
import { lowestReplicas, replicaFloor } from './support/containers.js';
import { count } from './support/wording.js';
import { defineRule } from './support/defineRule.js';
import { intOrPercent } from './support/rollout.js';
import { specOf } from './support/fields.js';
import { workloadsSelectedByPdb } from './support/crossObjects.js';

/**
 * A budget that allows zero disruptions even when every pod is healthy blocks kubectl drain and
 * node upgrades for good (docs/reference/disruption-budgets.md#what-a-budget-protects auditor hints). Percentages round UP (docs/reference/disruption-budgets.md#budget-arithmetic): minAvailable 50% of 1
 * pod is 1. HPA-managed workloads are judged at minReplicas (kube-linter#637).
 */
export const pdbBlocksEviction = defineRule({
  target: 'object',
  kinds: ['PodDisruptionBudget'],
  meta: {
    id: 'pdb-blocks-eviction',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'disruption',
    summary: 'a PodDisruptionBudget allows no eviction even when every pod is healthy',
    messages: {
      blocksEviction:
        '{{field}} {{value}} over {{pods}} ({{workloads}}) requires {{desiredHealthy}} healthy, so disruptionsAllowed is 0 even when every pod is healthy: ' +
        'kubectl drain and node upgrades wait on these pods forever (https://kubernetes.io/docs/tasks/run-application/configure-pdb/, percentages round up)',
      blocksEvictionAtAnySize:
        '{{field}} {{value}} over its pods ({{workloads}}) requires all healthy, so disruptionsAllowed is 0 even when every pod is healthy: ' +
        'kubectl drain and node upgrades wait on these pods forever (https://kubernetes.io/docs/tasks/run-application/configure-pdb/, percentages round up)',
    },
    fixes: {
      allowOneEviction: 'use maxUnavailable: 1 (or a minAvailable below the replica count), and run at least 2 replicas',
    },
  },
  check(pdb, _settings, all) {
    const spec = specOf(pdb);
    const budgetSpec: DisruptionBudgetSpec = {};
    const minAvailable = intOrPercent(spec.minAvailable);
    const maxUnavailable = intOrPercent(spec.maxUnavailable);
    if (minAvailable !== undefined) budgetSpec.minAvailable = minAvailable;
    else if (maxUnavailable !== undefined) budgetSpec.maxUnavailable = maxUnavailable;
    else return [];
    const field = minAvailable !== undefined ? 'minAvailable' : 'maxUnavailable';
    const value = minAvailable ?? maxUnavailable;
    const selected = workloadsSelectedByPdb(all.workloads, pdb);
    if (selected.length === 0) return [];
    // A workload its autoscaler can take to zero pods has none to evict then: judge it at one.
    const counts = selected.map((w) => {
      const n = lowestReplicas(w);
      return n === 0 ? 1 : n;
    });
    const known = counts.every((n): n is number => typeof n === 'number');
    // Pod counts of DaemonSets and bare Pods are unknown statically: use 1 per workload only to
    // recognise budgets that block at any size (maxUnavailable 0, minAvailable 100%).
    const pods = known ? counts.reduce((a, b) => a + b, 0) : selected.length;
    let budget;
    try {
      budget = disruptionBudget(budgetSpec, pods);
    } catch {
      return []; // invalid int-or-percent: the API server rejects it before it matters
    }
    const blocksAtAnySize =
      (field === 'maxUnavailable' && disruptionBudget(budgetSpec, 100).disruptionsAllowed === 0) || (field === 'minAvailable' && value === '100%');
    if (budget.disruptionsAllowed > 0 || (!known && !blocksAtAnySize)) return [];
    const who = selected
      .map(
        (w) =>
          `${w.kind}/${w.name}${replicaFloor(w).says ? ` at ${replicaFloor(w).says}` : w.replicas !== undefined ? ` with ${count(w.replicas, 'replica')}` : ''}`,
      )
      .join(', ');
    return [
      {
        path: ['spec', field],
        messageId: known ? 'blocksEviction' : 'blocksEvictionAtAnySize',
        data: { field, value: String(value), pods: count(pods, 'pod'), workloads: who, desiredHealthy: budget.desiredHealthy },
        fixId: 'allowOneEviction',
      },
    ];
  },
});

export default pdbBlocksEviction;
