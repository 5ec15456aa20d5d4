import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/probes.md#fields-and-defaults defaults (period 10, timeout 1); kyverno/policies#1500.
const probe = (extra: Record<string, unknown>) => ({ httpGet: { path: '/ready', port: 8080 }, ...extra });
const withProbes = (probes: Record<string, unknown>) => manifests({ containers: [{ name: 'app', image: 'example/web:1.0', ...probes }] });

testRule('probe-timeout-exceeds-period', {
  valid: [
    { name: 'timeout equal to period', text: withProbes({ readinessProbe: probe({ periodSeconds: 5, timeoutSeconds: 5 }) }) },
    { name: 'defaults', text: withProbes({ readinessProbe: probe({}), livenessProbe: probe({}) }) },
  ],
  invalid: [
    {
      name: 'readiness timeout 10 s every 5 s',
      text: withProbes({ readinessProbe: probe({ periodSeconds: 5, timeoutSeconds: 10 }) }),
      findings: [
        {
          messageId: 'timeoutAbovePeriod',
          line: 34,
          container: 'app',
          data: { field: 'readinessProbe', timeoutSeconds: 10, periodSeconds: 5, detectionSeconds: 30, expectedDetectionSeconds: 15 },
          fix: 'set timeoutSeconds below periodSeconds (e.g. timeoutSeconds 4), or raise periodSeconds to 11',
        },
      ],
    },
    {
      name: 'liveness timeout above the default period, startup probe too',
      text: withProbes({ livenessProbe: probe({ timeoutSeconds: 15 }), startupProbe: probe({ periodSeconds: 2, timeoutSeconds: 3 }) }),
      findings: [
        { messageId: 'timeoutAbovePeriod', line: 33, container: 'app', data: { field: 'livenessProbe', timeoutSeconds: 15, periodSeconds: 10 } },
        { messageId: 'timeoutAbovePeriod', line: 39, container: 'app', data: { field: 'startupProbe', timeoutSeconds: 3, periodSeconds: 2 } },
      ],
    },
  ],
});
