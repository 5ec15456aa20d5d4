import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §3.2 progressDeadlineSeconds only reports; startup budget from the probes (§2.1).
describeFixtures('progress-deadline-too-short');

const startup = { httpGet: { path: '/live', port: 8080 }, periodSeconds: 10, failureThreshold: 30 };
const app = (extra: Record<string, unknown>) => [{ name: 'app', image: 'example/web:1.0', ...extra }];

describeCases('progress-deadline-too-short', [
  {
    name: 'invalid: 120 s deadline, 300 s startup budget',
    yaml: manifests({ containers: app({ startupProbe: startup }), spec: { progressDeadlineSeconds: 120 } }),
    expected: [
      {
        container: 'app',
        message: /^progressDeadlineSeconds 120 is below the 300 s a pod may take to become available \("app" probes allow 300 s to start\)/,
        fix: /above 300/,
      },
    ],
  },
  {
    name: 'invalid: the default 600 s against a 40-minute startup plus minReadySeconds',
    yaml: manifests({ containers: app({ startupProbe: { ...startup, failureThreshold: 240 } }), spec: { minReadySeconds: 30 } }),
    expected: [{ message: /progressDeadlineSeconds 600 \(default\) is below the 2430 s .*plus minReadySeconds 30/ }],
  },
  { name: 'valid: default deadline, 300 s budget', yaml: manifests({ containers: app({ startupProbe: startup }) }), expected: [] },
  {
    name: 'valid: extensions/v1beta1 has no deadline by default',
    yaml: manifests({ apiVersion: 'extensions/v1beta1', containers: app({ startupProbe: { ...startup, failureThreshold: 240 } }) }),
    expected: [],
  },
]);
