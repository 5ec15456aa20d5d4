import { deploymentDefaults } from '../../k8s/apiDefaults.js';
import { startupBudgetSeconds } from '../../k8s/probes.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { resolvedProbe } from './support/probes.js';
import { ARGO_DEFAULT_PROGRESS_DEADLINE_SECONDS } from '../../k8s/argoRollouts.js';
import { deploymentConfigStrategyOf } from '../../k8s/deploymentConfig.js';
import type { WorkloadView, YamlPath } from '../types.js';

/**
 * The kind's deadline on a rollout that makes no progress, where it is written, and what passing
 * it does: a Deployment's and a Rollout's `progressDeadlineSeconds` (default 600, Argo's
 * `DefaultProgressDeadlineSeconds`), a DeploymentConfig's `rollingParams.timeoutSeconds`
 * (default 600, docs/reference/argo-rollouts-and-deploymentconfig.md#deploymentconfig).
 */
function deadlineOf(w: WorkloadView): { seconds: number; set: boolean; path: YamlPath; consequence: 'reported' | 'aborted' | 'rolledBack' } | undefined {
  const spec = w.object.spec ?? {};
  if (w.kind === 'Deployment' || w.kind === 'Rollout') {
    const set = typeof spec.progressDeadlineSeconds === 'number';
    const seconds = set
      ? (spec.progressDeadlineSeconds as number)
      : w.kind === 'Rollout'
        ? ARGO_DEFAULT_PROGRESS_DEADLINE_SECONDS
        : deploymentDefaults(w.apiVersion).progressDeadlineSeconds;
    if (seconds === undefined) return undefined;
    const consequence = w.kind === 'Rollout' && spec.progressDeadlineAbort === true ? 'aborted' : 'reported';
    return { seconds, set, path: set ? ['spec', 'progressDeadlineSeconds'] : ['spec'], consequence };
  }
  if (w.kind === 'DeploymentConfig') {
    const s = deploymentConfigStrategyOf(w.object);
    if (s.type !== 'Rolling') return undefined;
    return {
      seconds: s.timeoutSeconds,
      set: s.timeoutSet,
      path: s.timeoutSet ? ['spec', 'strategy', 'rollingParams', 'timeoutSeconds'] : ['spec', 'strategy'],
      consequence: 'rolledBack',
    };
  }
  return undefined;
}

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
      rolloutAbortsBelowStartupBudget:
        'progressDeadlineSeconds {{deadline}} is below the {{needed}} s a pod may take to become available ("{{container}}" probes allow {{budget}} s to start{{plusMinReady}}): ' +
        'with progressDeadlineAbort: true a slow but healthy update is aborted and traffic goes back to the stable pods (https://argoproj.github.io/argo-rollouts/features/specification/)',
      timeoutBelowStartupBudget:
        'rollingParams.timeoutSeconds {{deadline}} is below the {{needed}} s a pod may take to become available ("{{container}}" probes allow {{budget}} s to start{{plusMinReady}}): ' +
        'a slow but healthy deployment fails and is rolled back to the previous one (https://docs.openshift.com/container-platform/4.6/applications/deployments/deployment-strategies.html)',
    },
    fixes: {
      raiseDeadline: 'set progressDeadlineSeconds above {{needed}} (e.g. {{suggested}})',
      raiseTimeout: 'set strategy.rollingParams.timeoutSeconds above {{needed}} (e.g. {{suggested}})',
    },
  },
  check(w) {
    const d = deadlineOf(w);
    if (!d) return [];
    const spec = w.object.spec ?? {};
    const set = d.set;
    const deadline = d.seconds;
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    const budgets = longRunningContainers(w).map((c) => ({
      c,
      budget: startupBudgetSeconds(resolvedProbe(c, 'startupProbe'), resolvedProbe(c, 'livenessProbe'), resolvedProbe(c, 'readinessProbe')),
    }));
    const worst = budgets.reduce((a, b) => (b.budget > a.budget ? b : a), { c: undefined as (typeof budgets)[number]['c'] | undefined, budget: 0 });
    const needed = worst.budget + minReady;
    if (!worst.c || deadline >= needed) return [];
    const data = {
      deadline: `${deadline}${set ? '' : ' (default)'}`,
      needed,
      container: worst.c.name,
      budget: worst.budget,
      minReadySeconds: minReady,
      suggested: needed + 60,
      plusMinReady: minReady ? ` plus minReadySeconds ${minReady}` : '',
    };
    const messageId =
      d.consequence === 'rolledBack'
        ? 'timeoutBelowStartupBudget'
        : d.consequence === 'aborted'
          ? 'rolloutAbortsBelowStartupBudget'
          : minReady
            ? 'belowStartupBudgetAndMinReady'
            : 'belowStartupBudget';
    return [{ path: d.path, container: worst.c.name, messageId, data, fixId: d.consequence === 'rolledBack' ? 'raiseTimeout' : 'raiseDeadline' }];
  },
});

export default progressDeadlineTooShort;
