import { argoStrategyOf } from '../../k8s/argoRollouts.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import type { YamlPath } from '../types.js';
import { slowestPath } from '../views.js';
import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { workloadSpecPatch } from './support/patches.js';

/**
 * A blue-green promotion, or a traffic-routed canary's final step, moves the Service selector
 * (active or stable) to the new pods: from that moment the old pods are on their way out of
 * every path that follows the Service, and `scaleDownDelaySeconds` later (default 30,
 * docs/reference/argo-rollouts-and-deploymentconfig.md#argo-rollouts) Argo scales their
 * ReplicaSet down. A pod then stops taking requests after its preStop delay. When the delay and
 * the preStop together end before the slowest path (an ALB or NLB with IP targets, docs/reference/traffic-paths.md) has
 * stopped sending, the old pods close on requests that path still sends. The abort delay
 * (`abortScaleDownDelaySeconds`) is the same clock for the canary or preview pods after an abort.
 */
export const argoScaleDownDelayShorterThanPath = defineRule({
  target: 'workload',
  meta: {
    id: 'argo-scale-down-delay-shorter-than-path',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'controllers',
    summary: 'an Argo Rollout scales the old pods down before the slowest traffic path stops sending to them',
    fixable: true,
    messages: {
      scaleDownBeforePath:
        '{{strategy}} scales the old ReplicaSet down {{delay}} s after the {{service}} Service switches to the new pods ({{delaySource}}), and their preStop waits {{preStop}} s more: ' +
        '{{total}} s in all, but {{path}} keeps sending to a removed pod for {{removal}} s (https://argoproj.github.io/argo-rollouts/features/bluegreen/#scaledowndelayseconds), so the old pods stop while it still sends them requests',
      abortScaleDownBeforePath:
        'abortScaleDownDelaySeconds {{delay}} scales the {{newPods}} pods down {{delay}} s after an abort moves traffic back to the stable pods, and their preStop waits {{preStop}} s more: ' +
        '{{total}} s in all, but {{path}} keeps sending to a removed pod for {{removal}} s (https://argoproj.github.io/argo-rollouts/features/specification/), so they stop while it still sends them requests',
    },
    fixes: {
      raiseDelay: 'set {{field}} to at least {{wanted}} (the time {{path}} takes to stop sending to a removed pod)',
    },
  },
  check(w) {
    if (w.kind !== 'Rollout' || !w.serving || w.inAppDrain) return [];
    const a = argoStrategyOf(w.object);
    if (!a) return [];
    // A basic canary has no delay (its Services select both versions); dynamicStableScale scales the stable by weight, which argo-dynamic-stable-scale-with-alb judges.
    if (a.strategy === 'canary' && (!a.trafficRouted || a.dynamicStableScale)) return [];
    const path = slowestPath(w);
    if (!path) return [];
    // The shortest preStop of the containers that serve decides; one we cannot read may be long enough, so say nothing.
    const preStops = drainingContainers(w).map((c) => {
      const handler = c.container.lifecycle?.preStop;
      return handler ? preStopDelaySeconds(handler) : 0;
    });
    if (preStops.length === 0 || preStops.some((s) => s === undefined)) return [];
    const preStop = Math.min(...(preStops as number[]));
    const key = a.strategy === 'blueGreen' ? 'blueGreen' : 'canary';
    const service = a.strategy === 'blueGreen' ? `active ${a.activeService ?? ''}`.trim() : `stable ${a.stableService ?? ''}`.trim();
    const wanted = Math.ceil(path.removalSeconds);
    const base = { path: path.description, removal: path.removalSeconds, preStop, wanted };
    const out = [];
    const delay = a.scaleDownDelaySeconds ?? 0;
    // Unset with a postPromotionAnalysis: the old pods wait for the analysis, which may well outlast the path.
    const waitsForAnalysis = a.strategy === 'blueGreen' && a.scaleDownWaitsForAnalysis;
    if (!waitsForAnalysis && delay + preStop < path.removalSeconds) {
      const at: YamlPath = a.scaleDownDelaySet ? ['spec', 'strategy', key, 'scaleDownDelaySeconds'] : ['spec', 'strategy', key];
      out.push({
        path: at,
        messageId: 'scaleDownBeforePath' as const,
        data: {
          ...base,
          strategy: a.strategy === 'blueGreen' ? 'blue-green' : 'the canary with trafficRouting',
          service,
          delay,
          delaySource: a.scaleDownDelaySet ? 'scaleDownDelaySeconds' : 'scaleDownDelaySeconds unset, the default',
          total: delay + preStop,
          field: `strategy.${key}.scaleDownDelaySeconds`,
        },
        fixId: 'raiseDelay' as const,
        trafficPath: path,
        patch: workloadSpecPatch({ strategy: { [key]: { scaleDownDelaySeconds: wanted } } }),
      });
    }
    const abort = a.abortScaleDownDelaySeconds;
    // Only a delay the manifest writes: the default equals scaleDownDelaySeconds' default, reported above. 0 means never scale down.
    if (a.abortScaleDownDelaySet && typeof abort === 'number' && abort + preStop < path.removalSeconds) {
      out.push({
        path: ['spec', 'strategy', key, 'abortScaleDownDelaySeconds'],
        messageId: 'abortScaleDownBeforePath' as const,
        data: {
          ...base,
          delay: abort,
          newPods: a.strategy === 'blueGreen' ? 'preview' : 'canary',
          total: abort + preStop,
          field: `strategy.${key}.abortScaleDownDelaySeconds`,
        },
        fixId: 'raiseDelay' as const,
        trafficPath: path,
        patch: workloadSpecPatch({ strategy: { [key]: { abortScaleDownDelaySeconds: wanted } } }),
      });
    }
    return out;
  },
});

export default argoScaleDownDelayShorterThanPath;
