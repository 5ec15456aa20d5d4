import { removesAllAtOnce, scaleDownBehaviorOf, type ScaleDownBehavior, type ScalingPolicy } from '../../k8s/hpaBehavior.js';
import type { ObjectView, RuleResult, WorkloadView } from '../types.js';
import { describeWorkload } from './support/containers.js';
import { defineRule } from './support/defineRule.js';

/** Where each autoscaler writes the HPA behaviour: the HPA itself, or the one a KEDA ScaledObject creates. */
function behaviorPathOf(autoscaler: ObjectView): string[] {
  return autoscaler.kind === 'ScaledObject' ? ['spec', 'advanced', 'horizontalPodAutoscalerConfig', 'behavior'] : ['spec', 'behavior'];
}

function behaviorOf(autoscaler: ObjectView): unknown {
  let cur: unknown = autoscaler.object;
  for (const key of behaviorPathOf(autoscaler)) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return cur;
}

function describePolicy(p: ScalingPolicy): string {
  return `${p.value}${p.type === 'Percent' ? ' %' : p.value === 1 ? ' pod' : ' pods'} every ${p.periodSeconds} s`;
}

function describeRate(b: ScaleDownBehavior, span: number): string {
  const list = b.policies.map(describePolicy).join(b.selectPolicy === 'Max' ? ' or ' : ' and ');
  const all = removesAllAtOnce(b, span) ? ', which lets one step remove every pod above the minimum' : '';
  return `${b.policiesWritten ? 'its policies allow' : 'the default policy allows'} ${list}${all}`;
}

function describeAutoscaler(o: ObjectView): string {
  return `${o.kind === 'ScaledObject' ? 'ScaledObject' : 'HorizontalPodAutoscaler'} ${o.name}`;
}

/**
 * HPA scale-in goes through the workload's scale: the ReplicaSet or StatefulSet controller deletes
 * pods itself, not through the Eviction API, so no PodDisruptionBudget limits it
 * (docs/reference/disruption-budgets.md#what-a-budget-protects), and every removed pod is a
 * termination like a rollout's. The 300 s stabilization window is what keeps one low reading from
 * removing pods (docs/reference/autoscaling.md#scale-down); with it at 0 the HPA follows every
 * dip, and pods churn. A hint: the per-pod rules (preStop, grace, drain) are the real fix.
 */
export const hpaAggressiveScaleDown = defineRule({
  target: 'workload',
  meta: {
    id: 'hpa-aggressive-scale-down',
    ruleOfUptime: 6,
    severity: 'info',
    looksAt: 'disruption',
    summary: 'an autoscaler scales a serving workload in with no stabilization window, so every dip in its metrics deletes pods',
    messages: {
      noStabilization:
        '{{autoscaler}} scales {{workload}} in with behavior.scaleDown.stabilizationWindowSeconds 0: it removes pods on the first low reading of its ' +
        'metrics ({{rate}}) and adds them back on the next high one. Each removal deletes a pod directly, not through the Eviction API, so no ' +
        'PodDisruptionBudget applies: every scale-in is a small rollout, and requests survive it only if preStop, grace and drain are right',
    },
    fixes: {
      keepWindow:
        'remove stabilizationWindowSeconds (the default is 300) or set it to the time a load dip lasts (at most 3600), and slow the scale-in, e.g. ' +
        'policies: [{type: Pods, value: 1, periodSeconds: 60}]',
    },
  },
  check(w) {
    if (!w.serving) return [];
    const results: RuleResult<'noStabilization', 'keepWindow'>[] = [];
    for (const autoscaler of [...w.hpas, ...w.scaledObjects.filter((s) => s.apiVersion.startsWith('keda.sh/'))]) {
      // autoscaling/v1 has no behavior field.
      if (autoscaler.kind === 'HorizontalPodAutoscaler' && autoscaler.apiVersion === 'autoscaling/v1') continue;
      const b = scaleDownBehaviorOf(behaviorOf(autoscaler));
      if (b.selectPolicy === 'Disabled' || !b.windowWritten || b.stabilizationWindowSeconds !== 0) continue;
      results.push({
        at: autoscaler,
        path: [...behaviorPathOf(autoscaler), 'scaleDown', 'stabilizationWindowSeconds'],
        messageId: 'noStabilization',
        data: { autoscaler: describeAutoscaler(autoscaler), workload: describeWorkload(w), rate: describeRate(b, spanOf(autoscaler, w)) },
        fixId: 'keepWindow',
      });
    }
    return results;
  },
});

/** Pods between the autoscaler's minimum and maximum: what "every pod above the minimum" can be. */
function spanOf(autoscaler: ObjectView, w: WorkloadView): number {
  const spec = (autoscaler.object.spec ?? {}) as Record<string, unknown>;
  const [minKey, maxKey, minDefault] = autoscaler.kind === 'ScaledObject' ? ['minReplicaCount', 'maxReplicaCount', 0] : ['minReplicas', 'maxReplicas', 1];
  const min = typeof spec[minKey as string] === 'number' ? (spec[minKey as string] as number) : (minDefault as number);
  const max = typeof spec[maxKey as string] === 'number' ? (spec[maxKey as string] as number) : autoscaler.kind === 'ScaledObject' ? 100 : (w.replicas ?? 1);
  return Math.max(1, max - min);
}

export default hpaAggressiveScaleDown;
