import { knativeConfigMap, knativeService, yamlOf } from './fixtures/knative.js';
import { testRule } from './fixtures/ruleTester.js';

const warm = { 'autoscaling.knative.dev/min-scale': '1' };

testRule('knative-timeout-shortens-drain', {
  valid: [
    { name: 'timeoutSeconds unset: the 300 s default', text: yamlOf(knativeService({ annotations: warm })) },
    { name: 'timeoutSeconds 30 equals the drain', text: yamlOf(knativeService({ spec: { timeoutSeconds: 30 } })) },
    {
      name: 'a Cloud Run service: same API, no queue-proxy',
      text: yamlOf({
        ...knativeService({ spec: { timeoutSeconds: 10 } }),
        metadata: { name: 'web', labels: { 'cloud.googleapis.com/location': 'us-central1' } },
      }),
    },
    { name: 'timeoutSeconds 0 is defaulted like unset', text: yamlOf(knativeService({ spec: { timeoutSeconds: 0 } })) },
    {
      name: 'a ConfigMap of the same name outside knative-serving is not the cluster config',
      text: yamlOf(knativeService(), {
        ...knativeConfigMap('config-defaults', { 'revision-timeout-seconds': '5' }),
        metadata: { name: 'config-defaults', namespace: 'apps' },
      }),
    },
    {
      name: 'the _example block documents, it does not configure',
      text: yamlOf(knativeService(), knativeConfigMap('config-defaults', { _example: 'revision-timeout-seconds: "5"' })),
    },
    {
      name: 'a core Service is not a Knative Service',
      text: yamlOf({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80 }], timeoutSeconds: 5 },
      }),
    },
  ],
  invalid: [
    {
      name: 'timeoutSeconds 10 written',
      text: yamlOf(knativeService({ spec: { timeoutSeconds: 10 } })),
      findings: [
        {
          messageId: 'graceBeforeDrainEnds',
          line: 8,
          data: { timeout: 'timeoutSeconds 10', drain: 30, grace: 10, gap: 20 },
          fix:
            'set spec.template.spec.timeoutSeconds to at least 30 (it caps each request and sets the grace period); to give up on slow responses sooner, ' +
            'set responseStartTimeoutSeconds: 10 instead, which bounds the wait for the first byte without shortening the grace period',
        },
      ],
    },
    {
      name: 'the cluster default is lowered in config-defaults',
      text: yamlOf(knativeService(), knativeConfigMap('config-defaults', { 'revision-timeout-seconds': '20' })),
      findings: [
        {
          messageId: 'graceBeforeDrainEnds',
          data: { timeout: 'timeoutSeconds unset (ConfigMap knative-serving/config-defaults sets revision-timeout-seconds 20)', gap: 10 },
        },
      ],
    },
    {
      name: 'the cluster default is lowered through the operator',
      text: yamlOf(knativeService(), {
        apiVersion: 'operator.knative.dev/v1beta1',
        kind: 'KnativeServing',
        metadata: { name: 'knative-serving', namespace: 'knative-serving' },
        spec: { config: { defaults: { 'revision-timeout-seconds': '25' } } },
      }),
      findings: [
        { messageId: 'graceBeforeDrainEnds', data: { timeout: 'timeoutSeconds unset (KnativeServing knative-serving sets revision-timeout-seconds 25)' } },
      ],
    },
  ],
});
