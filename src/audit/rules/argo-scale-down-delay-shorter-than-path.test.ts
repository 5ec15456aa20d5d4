import { ingress, rollout } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/argo-rollouts-and-deploymentconfig.md#argo-rollouts: scaleDownDelaySeconds (default 30) runs from the Service switch;
// docs/reference/traffic-paths.md: an ALB with IP targets takes 30 s to stop sending to a removed pod, an NLB with IP targets 120 s.
const albIp = ingress({ 'alb.ingress.kubernetes.io/target-type': 'ip', 'alb.ingress.kubernetes.io/scheme': 'internet-facing' }, 'alb');
// Argo's ALB guide: the Ingress sends to the stable Service through the "use-annotation" port, and Argo writes the forward action at run time.
const albUseAnnotation = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' } },
  spec: {
    ingressClassName: 'alb',
    rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'use-annotation' } } } }] } }],
  },
};
// The same action written out, as the controller leaves it mid-rollout (90% stable, 10% canary).
const albWrittenAction = {
  ...albUseAnnotation,
  metadata: {
    name: 'web',
    annotations: {
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/actions.web-root': JSON.stringify({
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { ServiceName: 'web-canary', ServicePort: '80', Weight: 10 },
            { ServiceName: 'web', ServicePort: '80', Weight: 90 },
          ],
        },
      }),
    },
  },
  spec: {
    ingressClassName: 'alb',
    rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-root', port: { name: 'use-annotation' } } } }] } }],
  },
};
const nlbIp = {
  type: 'LoadBalancer',
};
const nlbAnnotations = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
};
const sleeping = (seconds: number) => [
  { name: 'app', image: 'example/web:1.0', ports: [{ containerPort: 8080 }], lifecycle: { preStop: { sleep: { seconds } } } },
];
const routed = (extra: Record<string, unknown> = {}) => ({
  canary: {
    stableService: 'web',
    canaryService: 'web-canary',
    trafficRouting: { alb: { ingress: 'web', servicePort: 80 } },
    steps: [{ setWeight: 20 }, { pause: { duration: '5m' } }],
    ...extra,
  },
});

testRule('argo-scale-down-delay-shorter-than-path', {
  valid: [
    { name: 'blue-green, default 30 s delay behind an ALB with IP targets (30 s)', text: rollout({ blueGreen: { activeService: 'web' } }, { extra: [albIp] }) },
    {
      name: 'a written ALB action that forwards elsewhere is not a path to these pods',
      text: rollout(routed({ scaleDownDelaySeconds: 10 }), {
        extra: [
          {
            ...albWrittenAction,
            metadata: {
              name: 'web',
              annotations: {
                'alb.ingress.kubernetes.io/actions.web-root': JSON.stringify({
                  Type: 'forward',
                  ForwardConfig: { TargetGroups: [{ ServiceName: 'legacy', ServicePort: '80' }] },
                }),
              },
            },
          },
        ],
      }),
    },
    {
      name: 'in-cluster callers only: the default delay covers propagation',
      text: rollout({ blueGreen: { activeService: 'web', scaleDownDelaySeconds: 10 } }),
    },
    {
      name: 'NLB with IP targets, but the preStop covers what the delay does not',
      text: rollout({ blueGreen: { activeService: 'web' } }, { service: nlbIp, serviceAnnotations: nlbAnnotations, containers: sleeping(90) }),
    },
    {
      name: 'blue-green with postPromotionAnalysis and no delay written: the old pods wait for the analysis (at least 30 s)',
      text: rollout(
        { blueGreen: { activeService: 'web', postPromotionAnalysis: { templates: [{ templateName: 'success-rate' }] } } },
        { service: nlbIp, serviceAnnotations: nlbAnnotations, containers: sleeping(5) },
      ),
    },
    {
      name: 'basic canary: no delay, both versions stay behind the Service',
      text: rollout({ canary: { steps: [{ setWeight: 50 }] } }, { service: nlbIp, serviceAnnotations: nlbAnnotations }),
    },
    {
      name: 'dynamicStableScale is judged by argo-dynamic-stable-scale-with-alb',
      text: rollout(routed({ dynamicStableScale: true }), { service: nlbIp, serviceAnnotations: nlbAnnotations }),
    },
    {
      name: 'abortScaleDownDelaySeconds 0 never scales the canary down',
      text: rollout(routed({ scaleDownDelaySeconds: 60, abortScaleDownDelaySeconds: 0 }), { extra: [albIp] }),
    },
    {
      name: 'a preStop we cannot read may be long enough',
      text: rollout(
        { blueGreen: { activeService: 'web', scaleDownDelaySeconds: 5 } },
        { extra: [albIp], containers: [{ name: 'app', image: 'example/web:1.0', lifecycle: { preStop: { exec: { command: ['/bin/drain'] } } } }] },
      ),
    },
  ],
  invalid: [
    {
      name: 'blue-green with scaleDownDelaySeconds 10 behind an ALB with IP targets',
      text: rollout({ blueGreen: { activeService: 'web', previewService: 'web-preview', scaleDownDelaySeconds: 10 } }, { extra: [albIp] }),
      findings: [
        {
          messageId: 'scaleDownBeforePath',
          data: { strategy: 'blue-green', service: 'active web', delay: 10, preStop: 0, total: 10, removal: 30, delaySource: 'scaleDownDelaySeconds' },
          fix: 'set strategy.blueGreen.scaleDownDelaySeconds to at least 30 (the time AWS ALB (IP targets) through Ingress web → Service web port 80 takes to stop sending to a removed pod)',
          patch: { spec: { strategy: { blueGreen: { scaleDownDelaySeconds: 30 } } } },
        },
      ],
    },
    {
      name: 'blue-green with the default delay behind an NLB with IP targets (120 s)',
      text: rollout({ blueGreen: { activeService: 'web' } }, { service: nlbIp, serviceAnnotations: nlbAnnotations, containers: sleeping(5) }),
      findings: [
        {
          messageId: 'scaleDownBeforePath',
          data: { delay: 30, preStop: 5, total: 35, removal: 120, delaySource: 'scaleDownDelaySeconds unset, the default' },
          patch: { spec: { strategy: { blueGreen: { scaleDownDelaySeconds: 120 } } } },
        },
      ],
    },
    {
      name: 'canary behind the ALB through the use-annotation port (the action Argo writes is not in the manifest)',
      text: rollout(routed({ scaleDownDelaySeconds: 10 }), { extra: [albUseAnnotation] }),
      findings: [
        { messageId: 'scaleDownBeforePath', data: { delay: 10, removal: 30 }, patch: { spec: { strategy: { canary: { scaleDownDelaySeconds: 30 } } } } },
      ],
    },
    {
      name: 'canary behind the ALB through a written forward action to the stable Service',
      text: rollout(routed({ scaleDownDelaySeconds: 10 }), { extra: [albWrittenAction] }),
      findings: [{ messageId: 'scaleDownBeforePath', data: { removal: 30 }, patch: { spec: { strategy: { canary: { scaleDownDelaySeconds: 30 } } } } }],
    },
    {
      name: 'canary with ALB traffic routing, a short delay and a short abort delay',
      text: rollout(routed({ scaleDownDelaySeconds: 5, abortScaleDownDelaySeconds: 5 }), { extra: [albIp] }),
      findings: [
        {
          messageId: 'scaleDownBeforePath',
          data: { strategy: 'the canary with trafficRouting', service: 'stable web', delay: 5 },
          patch: { spec: { strategy: { canary: { scaleDownDelaySeconds: 30 } } } },
        },
        {
          messageId: 'abortScaleDownBeforePath',
          data: { delay: 5, newPods: 'canary', total: 5 },
          fix: 'set strategy.canary.abortScaleDownDelaySeconds to at least 30 (the time AWS ALB (IP targets) through Ingress web → Service web port 80 takes to stop sending to a removed pod)',
          patch: { spec: { strategy: { canary: { abortScaleDownDelaySeconds: 30 } } } },
        },
      ],
    },
  ],
});
