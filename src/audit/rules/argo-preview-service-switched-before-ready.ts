import { argoStrategyOf } from '../../k8s/argoRollouts.js';
import type { ConsumerKind } from '../../k8s/serviceConsumers.js';
import { defineRule } from './support/defineRule.js';

/** Consumers that show users send the preview Service requests (a workload that calls it may be a smoke test, and is not counted). */
const SENDERS: ReadonlySet<ConsumerKind> = new Set(['ingress', 'gateway-route', 'load-balancer', 'node-port']);

/**
 * A blue-green update creates the new ReplicaSet at size 0, points the preview Service's selector
 * at it, and only then scales it up (argo-rollouts PR #1368, so that the AWS Load Balancer
 * Controller injects readiness gates into every preview pod). Until the first new pod is Ready the
 * preview Service has no endpoint: every update is an outage for whoever sends it traffic
 * (argoproj/argo-rollouts#2641, open). Harmless for a preview only smoke tests call; the rule
 * fires only when the input routes traffic to it.
 */
export const argoPreviewServiceSwitchedBeforeReady = defineRule({
  target: 'workload',
  meta: {
    id: 'argo-preview-service-switched-before-ready',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'controllers',
    summary: 'a blue-green preview Service that receives traffic has no endpoint at the start of every update',
    messages: {
      previewEmptyAtStart:
        'previewService {{service}} is switched to the new ReplicaSet before it has any pod (argo-rollouts creates it at size 0, switches the preview selector, then scales it up, ' +
        'https://github.com/argoproj/argo-rollouts/issues/2641): {{sender}} sends it requests, which fail until the first new pod is Ready, on every update',
    },
    fixes: {
      noTrafficOnPreview:
        'send real traffic only to the activeService; keep {{service}} for smoke tests and prePromotionAnalysis, or use a canary with trafficRouting to give part of the traffic to the new version',
    },
  },
  check(w) {
    if (w.kind !== 'Rollout' || !w.serving) return [];
    const a = argoStrategyOf(w.object);
    if (a?.strategy !== 'blueGreen' || !a.previewService || a.previewService === a.activeService) return [];
    const carried = w.servingPorts.find(
      (p) => p.service.metadata?.name === a.previewService && p.traffic === 'user' && p.consumers.some((c) => SENDERS.has(c.kind)),
    );
    if (!carried) return [];
    const c = carried.consumers.find((x) => SENDERS.has(x.kind))!;
    const sender =
      c.object === carried.service
        ? `its type ${String(carried.service.spec?.type ?? '')}`
        : `${String(c.object.kind)}/${String(c.object.metadata?.name ?? '')}`;
    return [
      {
        path: ['spec', 'strategy', 'blueGreen', 'previewService'],
        messageId: 'previewEmptyAtStart',
        data: { service: a.previewService, sender },
        fixId: 'noTrafficOnPreview',
      },
    ];
  },
});

export default argoPreviewServiceSwitchedBeforeReady;
