import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const ATTRS = 'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes';
const nlb = (attributes: Record<string, string>, preStop = 60) =>
  manifests({
    containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: preStop } } } }],
    podSpec: { terminationGracePeriodSeconds: preStop + 10 },
    service: { type: 'LoadBalancer' },
    serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', ...attributes },
  });

testRule('lb-connection-termination-cuts-drain', {
  valid: [
    { name: 'connection termination off (the default)', text: nlb({ [ATTRS]: 'deregistration_delay.timeout_seconds=5' }) },
    { name: 'termination on with the default 300 s delay', text: nlb({ [ATTRS]: 'deregistration_delay.connection_termination.enabled=true' }) },
    {
      name: 'an ALB has no connection termination attribute',
      text: manifests({
        service: { type: 'NodePort' },
        serviceAnnotations: { 'alb.ingress.kubernetes.io/target-type': 'instance', [ATTRS]: 'deregistration_delay.connection_termination.enabled=true' },
      }),
    },
  ],
  invalid: [
    {
      name: 'the port-specific annotation overrides the Service-wide one',
      text: nlb({
        [ATTRS]: 'deregistration_delay.timeout_seconds=600',
        [`${ATTRS}.80`]: 'deregistration_delay.timeout_seconds=30,deregistration_delay.connection_termination.enabled=true',
      }),
      findings: [
        {
          messageId: 'cutsDrain',
          data: { delay: '30 s', lifetime: '65 s', container: 'app', key: `${ATTRS}.80`, needed: 65 },
          fix: `in ${ATTRS}.80 set deregistration_delay.timeout_seconds=65 or more, or drop deregistration_delay.connection_termination.enabled=true`,
        },
      ],
    },
  ],
});
