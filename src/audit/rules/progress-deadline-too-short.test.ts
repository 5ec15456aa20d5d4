import { deploymentConfig, manifests, rollout } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/workload-updates.md#deployment-controller progressDeadlineSeconds only reports; startup budget from the probes (docs/reference/probes.md#fields-and-defaults).
const startup = { httpGet: { path: '/live', port: 8080 }, periodSeconds: 10, failureThreshold: 30 };
const app = (extra: Record<string, unknown>) => [{ name: 'app', image: 'example/web:1.0', ...extra }];

testRule('progress-deadline-too-short', {
  valid: [
    { name: 'default deadline, 300 s budget', text: manifests({ containers: app({ startupProbe: startup }) }) },
    {
      name: 'extensions/v1beta1 has no deadline by default',
      text: manifests({ apiVersion: 'extensions/v1beta1', containers: app({ startupProbe: { ...startup, failureThreshold: 240 } }) }),
    },
    { name: 'Rollout: default 600 s deadline, 300 s budget', text: rollout({ canary: {} }, { containers: app({ startupProbe: startup }) }) },
    { name: 'DeploymentConfig: default 600 s timeout, 300 s budget', text: deploymentConfig(undefined, { containers: app({ startupProbe: startup }) }) },
    {
      name: 'DeploymentConfig Recreate has its own timeout, not judged',
      text: deploymentConfig({ type: 'Recreate', rollingParams: { timeoutSeconds: 60 } }, { containers: app({ startupProbe: startup }) }),
    },
  ],
  invalid: [
    {
      name: 'Rollout with progressDeadlineAbort: a slow healthy update is aborted',
      text: rollout({ canary: {} }, { containers: app({ startupProbe: startup }), spec: { progressDeadlineSeconds: 120, progressDeadlineAbort: true } }),
      findings: [
        {
          messageId: 'rolloutAbortsBelowStartupBudget',
          container: 'app',
          data: { deadline: '120', needed: 300, plusMinReady: '' },
          fixId: 'raiseDeadline',
        },
      ],
    },
    {
      name: 'Rollout without progressDeadlineAbort only reports',
      text: rollout({ blueGreen: { activeService: 'web' } }, { containers: app({ startupProbe: startup }), spec: { progressDeadlineSeconds: 120 } }),
      findings: [{ messageId: 'belowStartupBudget', container: 'app', data: { deadline: '120' } }],
    },
    {
      name: 'DeploymentConfig rollingParams.timeoutSeconds 120: the deployment fails and rolls back',
      text: deploymentConfig(
        { type: 'Rolling', rollingParams: { timeoutSeconds: 120 } },
        { containers: app({ startupProbe: startup }), spec: { minReadySeconds: 10 } },
      ),
      findings: [
        {
          messageId: 'timeoutBelowStartupBudget',
          container: 'app',
          data: { deadline: '120', needed: 310, plusMinReady: ' plus minReadySeconds 10' },
          fix: 'set strategy.rollingParams.timeoutSeconds above 310 (e.g. 370)',
        },
      ],
    },
    {
      name: '120 s deadline, 300 s startup budget',
      text: manifests({ containers: app({ startupProbe: startup }), spec: { progressDeadlineSeconds: 120 } }),
      findings: [
        {
          messageId: 'belowStartupBudget',
          line: 18,
          container: 'app',
          data: { deadline: '120', needed: 300, container: 'app', budget: 300 },
          fix: 'set progressDeadlineSeconds above 300 (e.g. 360)',
        },
      ],
    },
    {
      name: 'the default 600 s against a 40-minute startup plus minReadySeconds',
      text: manifests({ containers: app({ startupProbe: { ...startup, failureThreshold: 240 } }), spec: { minReadySeconds: 30 } }),
      findings: [
        {
          messageId: 'belowStartupBudgetAndMinReady',
          line: 16,
          container: 'app',
          data: { deadline: '600 (default)', needed: 2430, minReadySeconds: 30 },
        },
      ],
    },
  ],
});
