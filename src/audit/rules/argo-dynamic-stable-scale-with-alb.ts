import { argoStrategyOf } from '../../k8s/argoRollouts.js';
import { defineRule } from './support/defineRule.js';
import { workloadSpecPatch } from './support/patches.js';

/**
 * With `dynamicStableScale: true` a traffic-routed canary scales the stable ReplicaSet down as the
 * weight it last wrote moves to the canary (utils/replicaset/canary.go
 * `CalculateReplicaCountsForTrafficRoutedCanary`). The AWS Load Balancer Controller applies a new
 * weight to the ALB's listener rule later, so for a while the stable target group still gets its
 * old share with fewer, or zero, targets behind it: 503s at each step and at 100%
 * (argoproj/argo-rollouts#3926, #4595). Target-group weight verification does not close the gap,
 * and validation refuses `scaleDownDelaySeconds` beside `dynamicStableScale`
 * (docs/reference/argo-rollouts-and-deploymentconfig.md#argo-rollouts).
 */
export const argoDynamicStableScaleWithAlb = defineRule({
  target: 'workload',
  meta: {
    id: 'argo-dynamic-stable-scale-with-alb',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'controllers',
    summary: 'an Argo canary with ALB traffic routing scales the stable pods down before the ALB moves their traffic',
    fixable: true,
    messages: {
      stableScaledBeforeWeights:
        'dynamicStableScale: true scales the stable ReplicaSet down as soon as Argo writes each new ALB weight, but the AWS Load Balancer Controller applies it to the listener rule later: ' +
        'meanwhile the stable target group keeps its old share of traffic with fewer (at 100%, zero) targets, and those requests get 503s (https://github.com/argoproj/argo-rollouts/issues/3926, https://github.com/argoproj/argo-rollouts/issues/4595)',
    },
    fixes: {
      keepStableScaled:
        'set dynamicStableScale: false: the stable pods stay up until promotion, and are scaled down scaleDownDelaySeconds (default 30) after the stable Service switches; it costs up to twice the pods during an update',
    },
  },
  check(w) {
    if (w.kind !== 'Rollout') return [];
    const a = argoStrategyOf(w.object);
    if (a?.strategy !== 'canary' || !a.dynamicStableScale || !a.trafficRouters.includes('alb')) return [];
    return [
      {
        path: ['spec', 'strategy', 'canary', 'dynamicStableScale'],
        messageId: 'stableScaledBeforeWeights',
        fixId: 'keepStableScaled',
        patch: workloadSpecPatch({ strategy: { canary: { dynamicStableScale: false } } }),
      },
    ];
  },
});

export default argoDynamicStableScaleWithAlb;
