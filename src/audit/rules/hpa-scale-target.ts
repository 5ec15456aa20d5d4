import type { ObjectView } from '../types.js';
import { scaleTargetOf } from '../views.js';
import { defineRule } from './support/defineRule.js';

/**
 * An HPA's scale target as the API server and the HPA controller treat it. Both objects below are
 * valid to the API server, which checks neither the target's existence nor overlaps, so they are
 * findings, not input errors:
 * - Two autoscalers on one workload. The HPA controller finds the target's pods controlled by more
 *   than one HPA and, for each of them, records an `AmbiguousSelector` event, sets `ScalingActive`
 *   to False and skips scaling (`validateAndParseSelector` in the controller's horizontal.go), so
 *   the workload stays at whatever count it has when load arrives. A KEDA ScaledObject counts as
 *   one: KEDA creates an HPA for its target (https://keda.sh/docs/latest/concepts/scaling-deployments/).
 * - A target that is not in the input: the HPA controller cannot read its scale subresource
 *   (`FailedGetScale`) and scales nothing; or it lives in another directory, and the audit judged
 *   the workload without the HPA that decides its pod count.
 */
export const hpaScaleTarget = defineRule({
  target: 'object',
  kinds: ['HorizontalPodAutoscaler', 'ScaledObject'],
  meta: {
    id: 'hpa-scale-target',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'disruption',
    summary: 'two autoscalers scale one workload (neither scales), or an HPA scales a workload that is not in the input',
    messages: {
      ambiguous:
        '{{self}} and {{others}} all scale {{target}}: the HPA controller finds its pods controlled by more than one HPA, sets ScalingActive ' +
        'to False (AmbiguousSelector) on each and scales none of them, so {{target}} stays at its current count when load rises',
      targetMissing:
        '{{self}} scales {{target}}, which is not in the input: if it does not exist, the HPA controller cannot read its scale (FailedGetScale) ' +
        'and scales nothing; if it is defined elsewhere, the audit judged it without the autoscaler that decides its pod count',
    },
    fixes: {
      keepOne: 'keep one autoscaler per workload: merge the metrics into one HPA (it scales to the largest proposal), or into the ScaledObject',
      fixTarget: 'correct scaleTargetRef (kind and name), or audit the directory that defines {{target}} together with this one',
    },
  },
  check(autoscaler, _settings, { objects }) {
    if (autoscaler.kind === 'ScaledObject' && !autoscaler.apiVersion.startsWith('keda.sh/')) return [];
    const target = scaleTargetOf(autoscaler);
    if (!target) return [];
    const targetText = `${target.kind}/${target.name}`;
    const self = describe(autoscaler);
    const same = objects.filter((o) => o !== autoscaler && isAutoscaler(o) && o.namespace === autoscaler.namespace && sameTarget(scaleTargetOf(o), target));
    if (same.length > 0) {
      return [
        {
          path: ['spec', 'scaleTargetRef'],
          messageId: 'ambiguous',
          data: { self, others: same.map(describe).join(', '), target: targetText },
          fixId: 'keepOne',
        },
      ];
    }
    const exists = objects.some((o) => o.kind === target.kind && o.name === target.name && o.namespace === autoscaler.namespace);
    if (exists) return [];
    return [{ path: ['spec', 'scaleTargetRef'], messageId: 'targetMissing', data: { self, target: targetText }, fixId: 'fixTarget' }];
  },
});

function isAutoscaler(o: ObjectView): boolean {
  return o.kind === 'HorizontalPodAutoscaler' || (o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/'));
}

function sameTarget(a: { kind: string; name: string } | undefined, b: { kind: string; name: string }): boolean {
  return a !== undefined && a.kind === b.kind && a.name === b.name;
}

function describe(o: ObjectView): string {
  return `${o.kind === 'ScaledObject' ? 'ScaledObject' : 'HPA'} ${o.name}`;
}

export default hpaScaleTarget;
