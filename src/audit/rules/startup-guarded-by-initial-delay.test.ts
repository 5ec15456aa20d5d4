import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §2.1: a startupProbe disables liveness until it succeeds; a fixed initialDelaySeconds cannot adapt.
describeFixtures('startup-guarded-by-initial-delay');

const live = { httpGet: { path: '/live', port: 8080 } };
const app = (extra: Record<string, unknown>) => manifests({ containers: [{ name: 'app', image: 'example/web:1.0', ...extra }] });

describeCases('startup-guarded-by-initial-delay', [
  {
    name: 'invalid: liveness initialDelaySeconds 30 without startupProbe (the seed probes overlay)',
    yaml: app({ livenessProbe: { ...live, initialDelaySeconds: 30, failureThreshold: 1 } }),
    expected: [
      {
        container: 'app',
        message: /waits a fixed initialDelaySeconds 30 and there is no startupProbe: a start slower than 40 s/,
        fix: /periodSeconds 5 and failureThreshold 8/,
      },
    ],
  },
  { name: 'valid: startupProbe present', yaml: app({ startupProbe: live, livenessProbe: { ...live, initialDelaySeconds: 60 } }), expected: [] },
  { name: 'valid: small delay', yaml: app({ livenessProbe: { ...live, initialDelaySeconds: 29 } }), expected: [] },
]);
