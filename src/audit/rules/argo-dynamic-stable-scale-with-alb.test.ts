import { rollout } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// argo-rollouts utils/replicaset/canary.go: with dynamicStableScale the stable count follows the weight Argo last wrote (argoproj/argo-rollouts#3926, #4595).
const canary = (extra: Record<string, unknown>) => ({
  canary: { stableService: 'web', canaryService: 'web-canary', steps: [{ setWeight: 50 }, { pause: {} }], ...extra },
});

testRule('argo-dynamic-stable-scale-with-alb', {
  valid: [
    {
      name: 'ALB without dynamicStableScale keeps the stable ReplicaSet at full size',
      text: rollout(canary({ trafficRouting: { alb: { ingress: 'web', servicePort: 80 } } })),
    },
    {
      name: 'dynamicStableScale with nginx traffic routing',
      text: rollout(canary({ dynamicStableScale: true, trafficRouting: { nginx: { stableIngress: 'web' } } })),
    },
    { name: 'dynamicStableScale false', text: rollout(canary({ dynamicStableScale: false, trafficRouting: { alb: { ingress: 'web', servicePort: 80 } } })) },
  ],
  invalid: [
    {
      name: 'dynamicStableScale with ALB traffic routing',
      text: rollout(canary({ dynamicStableScale: true, trafficRouting: { alb: { ingress: 'web', servicePort: 80, rootService: 'web-root' } } })),
      findings: [
        {
          messageId: 'stableScaledBeforeWeights',
          fixId: 'keepStableScaled',
          patch: { spec: { strategy: { canary: { dynamicStableScale: false } } } },
        },
      ],
    },
  ],
});
