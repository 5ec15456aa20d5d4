import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const local = (preStop: number, annotations: Record<string, string> = {}) =>
  manifests({
    containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: preStop } } } }],
    service: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
    serviceAnnotations: annotations,
  });

testRule('local-traffic-policy-drops', {
  valid: [
    {
      name: 'externalTrafficPolicy: Cluster',
      text: manifests({ containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 5 } } } }], service: { type: 'LoadBalancer' } }),
    },
    { name: 'a preStop as long as the default 10 s × 3', text: local(30) },
    {
      name: 'an NLB with IP targets is slower still: prestop-shorter-than-propagation reports it',
      text: manifests({
        containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 5 } } } }],
        service: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
        serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' },
      }),
    },
  ],
  invalid: [
    {
      name: 'an unknown cloud: the table default, said as assumed',
      text: local(5),
      findings: [
        {
          messageId: 'shorterThanHealthCheck',
          container: 'app',
          data: { preStop: '5 s', gap: '25 s', wanted: 30 },
          fixId: 'sleepPastHealthCheck',
          patch: {
            spec: {
              template: { spec: { terminationGracePeriodSeconds: 35, containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 30 } } } }] } },
            },
          },
        },
      ],
    },
    {
      name: 'the AWS health-check annotations set the window',
      text: local(20, { 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': '30' }),
      findings: [
        {
          messageId: 'shorterThanHealthCheck',
          container: 'app',
          data: { wanted: 90 },
          patch: {
            spec: {
              template: { spec: { terminationGracePeriodSeconds: 95, containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 90 } } } }] } },
            },
          },
        },
      ],
    },
  ],
});
