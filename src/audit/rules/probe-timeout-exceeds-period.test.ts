import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §2.1 defaults (period 10, timeout 1); kyverno/policies#1500.
describeFixtures('probe-timeout-exceeds-period');

const probe = (extra: Record<string, unknown>) => ({ httpGet: { path: '/ready', port: 8080 }, ...extra });
const withProbes = (probes: Record<string, unknown>) => manifests({ containers: [{ name: 'app', image: 'example/web:1.0', ...probes }] });

describeCases('probe-timeout-exceeds-period', [
  {
    name: 'invalid: readiness timeout 10 s every 5 s',
    yaml: withProbes({ readinessProbe: probe({ periodSeconds: 5, timeoutSeconds: 10 }) }),
    expected: [
      {
        container: 'app',
        message:
          /readinessProbe of "app" has timeoutSeconds 10 above periodSeconds 5: .*every 10 s, not every 5 s, and failure takes 30 s to notice instead of 15 s/,
      },
    ],
  },
  {
    name: 'invalid: liveness timeout above the default period, startup probe too',
    yaml: withProbes({ livenessProbe: probe({ timeoutSeconds: 15 }), startupProbe: probe({ periodSeconds: 2, timeoutSeconds: 3 }) }),
    expected: [
      { message: /livenessProbe of "app" has timeoutSeconds 15 above periodSeconds 10/ },
      { message: /startupProbe of "app" has timeoutSeconds 3 above periodSeconds 2/ },
    ],
  },
  { name: 'valid: timeout equal to period', yaml: withProbes({ readinessProbe: probe({ periodSeconds: 5, timeoutSeconds: 5 }) }), expected: [] },
  { name: 'valid: defaults', yaml: withProbes({ readinessProbe: probe({}), livenessProbe: probe({}) }), expected: [] },
]);
