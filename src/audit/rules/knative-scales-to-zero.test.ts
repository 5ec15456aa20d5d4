import { knativeConfigMap, knativeService, yamlOf } from './fixtures/knative.js';
import { testRule } from './fixtures/ruleTester.js';

testRule('knative-scales-to-zero', {
  valid: [
    { name: 'min-scale 1', text: yamlOf(knativeService({ annotations: { 'autoscaling.knative.dev/min-scale': '1' } })) },
    { name: 'legacy minScale 3', text: yamlOf(knativeService({ annotations: { 'autoscaling.knative.dev/minScale': '3' } })) },
    { name: 'min-scale "0" written: a decision', text: yamlOf(knativeService({ annotations: { 'autoscaling.knative.dev/min-scale': '0' } })) },
    {
      name: 'the HPA class never goes to zero',
      text: yamlOf(knativeService({ annotations: { 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' } })),
    },
    { name: 'scale to zero disabled cluster-wide', text: yamlOf(knativeService(), knativeConfigMap('config-autoscaler', { 'enable-scale-to-zero': 'false' })) },
    { name: 'a cluster-wide min-scale', text: yamlOf(knativeService(), knativeConfigMap('config-autoscaler', { 'min-scale': '1' })) },
  ],
  invalid: [
    {
      name: 'no min-scale anywhere',
      text: yamlOf(knativeService({ name: 'checkout' })),
      findings: [
        {
          messageId: 'defaultMinScale',
          line: 6,
          data: { minScaleKey: 'autoscaling.knative.dev/min-scale', startup: '', service: 'checkout' },
          fix:
            'if checkout must answer quickly, keep a pod: set autoscaling.knative.dev/min-scale: "1" under spec.template.metadata.annotations; ' +
            'if scaling to zero is intended, write min-scale "0" there to record the decision',
        },
      ],
    },
    {
      name: 'a visible probe delay is part of the message',
      text: yamlOf(knativeService({ containers: [{ image: 'example/web:1.0', readinessProbe: { httpGet: { path: '/ready' }, initialDelaySeconds: 12 } }] })),
      findings: [{ messageId: 'defaultMinScale', data: { startup: ' (its probes alone wait 12 s before the first check)' } }],
    },
    {
      name: 'min-scale on the Service metadata does not count (the webhook rejects it there)',
      text: yamlOf(knativeService({ serviceAnnotations: { 'autoscaling.knative.dev/min-scale': '1' } })),
      findings: [{ messageId: 'defaultMinScale' }],
    },
    {
      name: 'scale to zero enabled cluster-wide in so many words',
      text: yamlOf(
        knativeService({ annotations: { 'autoscaling.knative.dev/max-scale': '5' } }),
        knativeConfigMap('config-autoscaler', { 'enable-scale-to-zero': 'true' }),
      ),
      findings: [{ messageId: 'defaultMinScale' }],
    },
  ],
});
