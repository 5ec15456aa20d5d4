import { deploymentDefaults } from '../../k8s/apiDefaults.js';
import { startupBudgetSeconds } from '../../k8s/probes.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { resolvedProbe } from './support/probes.js';

/**
 * progressDeadlineSeconds below the startup budget the probes allow (startupProbe or liveness
 * initialDelay + failureThreshold × period, docs/reference/probes.md#fields-and-defaults) reports ProgressDeadlineExceeded for a slow but
 * healthy rollout; the controller only reports it, it never rolls back (docs/reference/workload-updates.md#deployment-controller), but pipelines that
 * wait on `kubectl rollout status` fail.
 */
export const progressDeadlineTooShort = defineRule({
  target: 'workload',
  meta: {
    id: 'progress-deadline-too-short',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
    summary: 'progressDeadlineSeconds is shorter than the startup time the probes allow',
    messages: {
      belowStartupBudget:
        'progressDeadlineSeconds {{deadline}} is below the {{needed}} s a pod may take to become available ' +
        '("{{container}}" probes allow {{budget}} s to start): a slow but healthy rollout is reported as ProgressDeadlineExceeded, and nothing is rolled back (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/)',
      belowStartupBudgetAndMinReady:
        'progressDeadlineSeconds {{deadline}} is below the {{needed}} s a pod may take to become available ' +
        '("{{container}}" probes allow {{budget}} s to start plus minReadySeconds {{minReadySeconds}}): ' +
        'a slow but healthy rollout is reported as ProgressDeadlineExceeded, and nothing is rolled back (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/)',
    },
    fixes: {
      raiseDeadline: 'set progressDeadlineSeconds above {{needed}} (e.g. {{suggested}})',
    },
  },
  check(w) {
    if (w.kind !== 'Deployment') return [];
    const spec = w.object.spec ?? {};
    const set = typeof spec.progressDeadlineSeconds === 'number';
    const deadline = set ? (spec.progressDeadlineSeconds as number) : deploymentDefaults(w.apiVersion).progressDeadlineSeconds;
    if (deadline === undefined) return [];
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    const budgets = longRunningContainers(w).map((c) => ({
      c,
      budget: startupBudgetSeconds(resolvedProbe(c, 'startupProbe'), resolvedProbe(c, 'livenessProbe'), resolvedProbe(c, 'readinessProbe')),
    }));
    const worst = budgets.reduce((a, b) => (b.budget > a.budget ? b : a), { c: undefined as (typeof budgets)[number]['c'] | undefined, budget: 0 });
    const needed = worst.budget + minReady;
    if (!worst.c || deadline >= needed) return [];
    return [
      {
        path: set ? ['spec', 'progressDeadlineSeconds'] : ['spec'],
        container: worst.c.name,
        messageId: minReady ? 'belowStartupBudgetAndMinReady' : 'belowStartupBudget',
        data: {
          deadline: `${deadline}${set ? '' : ' (default)'}`,
          needed,
          container: worst.c.name,
          budget: worst.budget,
          minReadySeconds: minReady,
          suggested: needed + 60,
        },
        fixId: 'raiseDeadline',
      },
    ];
  },
});

export default progressDeadlineTooShort;
