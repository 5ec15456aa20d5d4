import { knativeService, yamlOf } from './fixtures/knative.js';
import { testRule } from './fixtures/ruleTester.js';

const preStop = { preStop: { sleep: { seconds: 10 } } };

testRule('knative-field-rejected', {
  valid: [
    {
      name: 'a plain revision template',
      text: yamlOf(knativeService({ annotations: { 'autoscaling.knative.dev/min-scale': '1' }, spec: { timeoutSeconds: 60 } })),
    },
    { name: 'other annotations on the Service', text: yamlOf(knativeService({ serviceAnnotations: { 'serving.knative.dev/rollout-duration': '30s' } })) },
    {
      name: 'Cloud Run has its own rules',
      text: yamlOf({
        ...knativeService({ containers: [{ image: 'x', lifecycle: preStop }] }),
        metadata: { name: 'web', labels: { 'cloud.googleapis.com/location': 'us-east1' } },
      }),
    },
  ],
  invalid: [
    {
      name: 'a preStop on a named container',
      text: yamlOf(knativeService({ containers: [{ name: 'app', image: 'example/web:1.0', lifecycle: preStop }] })),
      findings: [{ messageId: 'lifecycle', line: 11, container: 'app', data: { container: 'app' }, fixId: 'dropLifecycle' }],
    },
    {
      name: 'a lifecycle on an unnamed init container',
      text: yamlOf(knativeService({ spec: { initContainers: [{ image: 'example/init:1', lifecycle: { postStart: { exec: { command: ['true'] } } } }] } })),
      findings: [{ messageId: 'lifecycle', container: 'initContainers[0]', data: { container: 'initContainers[0]' } }],
    },
    {
      name: 'terminationGracePeriodSeconds with the timeout unset',
      text: yamlOf(knativeService({ spec: { terminationGracePeriodSeconds: 45 } })),
      findings: [
        {
          messageId: 'gracePeriod',
          data: { timeout: 'timeoutSeconds unset, 300 by default' },
          fix: 'remove terminationGracePeriodSeconds; to give pods longer to finish requests, raise spec.template.spec.timeoutSeconds',
        },
      ],
    },
    {
      name: 'legacy and new autoscaling keys on the Service',
      text: yamlOf(knativeService({ serviceAnnotations: { 'autoscaling.knative.dev/minScale': '1', 'autoscaling.knative.dev/max-scale': '5' } })),
      findings: [
        { messageId: 'autoscalingOnService', data: { key: 'autoscaling.knative.dev/minScale' } },
        {
          messageId: 'autoscalingOnService',
          data: { key: 'autoscaling.knative.dev/max-scale' },
          fix: 'move autoscaling.knative.dev/max-scale to spec.template.metadata.annotations',
        },
      ],
    },
  ],
});
