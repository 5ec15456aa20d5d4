import { knativeConfigMap, knativeService, yamlOf } from './fixtures/knative.js';
import { testRule } from './fixtures/ruleTester.js';

testRule('knative-timeout-cuts-long-requests', {
  valid: [
    { name: 'no idle or response-start timeout written', text: yamlOf(knativeService({ spec: { timeoutSeconds: 60 } })) },
    { name: 'idleTimeoutSeconds below the default cap', text: yamlOf(knativeService({ spec: { idleTimeoutSeconds: 120 } })) },
    { name: 'responseStartTimeoutSeconds equal to the cap', text: yamlOf(knativeService({ spec: { timeoutSeconds: 90, responseStartTimeoutSeconds: 90 } })) },
    {
      name: 'the cluster default cap is raised above the idle timeout',
      text: yamlOf(
        knativeService({ spec: { idleTimeoutSeconds: 900 } }),
        knativeConfigMap('config-defaults', { 'revision-timeout-seconds': '1200', 'max-revision-timeout-seconds': '3600' }),
      ),
    },
  ],
  invalid: [
    {
      name: 'idleTimeoutSeconds beyond the default 300 s cap',
      text: yamlOf(knativeService({ spec: { idleTimeoutSeconds: 500 } })),
      findings: [
        {
          messageId: 'timerBeyondTimeout',
          line: 8,
          data: { field: 'idleTimeoutSeconds', value: 500, cap: 300, timeout: 'timeoutSeconds unset (Knative default 300)' },
          fix: 'raise spec.template.spec.timeoutSeconds to 500, or lower idleTimeoutSeconds to at most 300 if requests are not meant to last longer',
        },
      ],
    },
    {
      name: 'beyond the cluster maximum the fix raises the maximum first',
      text: yamlOf(knativeService({ spec: { timeoutSeconds: 300, idleTimeoutSeconds: 3600 } })),
      findings: [
        {
          messageId: 'timerBeyondTimeout',
          data: { timeout: 'timeoutSeconds 300', max: 600, maxFrom: ', the Knative default' },
          fixId: 'raiseClusterMaximum',
        },
      ],
    },
    {
      name: 'a visible maximum is named',
      text: yamlOf(
        knativeService({ spec: { responseStartTimeoutSeconds: 1000 } }),
        knativeConfigMap('config-defaults', { 'max-revision-timeout-seconds': '900' }),
      ),
      findings: [
        {
          messageId: 'timerBeyondTimeout',
          data: { field: 'responseStartTimeoutSeconds', max: 900, maxFrom: ', set in ConfigMap knative-serving/config-defaults' },
          fixId: 'raiseClusterMaximum',
        },
      ],
    },
    {
      name: 'both timers beyond the cap',
      text: yamlOf(knativeService({ spec: { timeoutSeconds: 30, idleTimeoutSeconds: 60, responseStartTimeoutSeconds: 45 } })),
      findings: [
        { messageId: 'timerBeyondTimeout', data: { field: 'idleTimeoutSeconds' } },
        { messageId: 'timerBeyondTimeout', data: { field: 'responseStartTimeoutSeconds' } },
      ],
    },
  ],
});
