import { deploymentDefaults } from '../../k8s/apiDefaults.js';
import { startupBudgetSeconds } from '../../k8s/probes.js';
import type { WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { resolvedProbe } from './support/probes.js';

/**
 * progressDeadlineSeconds below the startup budget the probes allow (startupProbe or liveness
 * initialDelay + failureThreshold × period, §2.1) reports ProgressDeadlineExceeded for a slow but
 * healthy rollout; the controller only reports it, it never rolls back (§3.2), but pipelines that
 * wait on `kubectl rollout status` fail.
 */
export const progressDeadlineTooShort: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'progress-deadline-too-short',
    ruleOfUptime: 6,
    severity: 'warning',
    summary: 'progressDeadlineSeconds is shorter than the startup time the probes allow',
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
        message:
          `progressDeadlineSeconds ${deadline}${set ? '' : ' (default)'} is below the ${needed} s a pod may take to become available ` +
          `("${worst.c.name}" probes allow ${worst.budget} s to start${minReady ? ` plus minReadySeconds ${minReady}` : ''}): a slow but healthy rollout is reported as ` +
          'ProgressDeadlineExceeded, and nothing is rolled back (§3.2)',
        fix: `set progressDeadlineSeconds above ${needed} (e.g. ${needed + 60})`,
      },
    ];
  },
};

export default progressDeadlineTooShort;
