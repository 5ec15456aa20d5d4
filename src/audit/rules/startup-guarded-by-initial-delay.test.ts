import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/probes.md#fields-and-defaults: a startupProbe disables liveness until it succeeds; a fixed initialDelaySeconds cannot adapt.
const live = { httpGet: { path: '/live', port: 8080 } };
const app = (extra: Record<string, unknown>) => manifests({ containers: [{ name: 'app', image: 'example/web:1.0', ...extra }] });

testRule('startup-guarded-by-initial-delay', {
  valid: [
    { name: 'startupProbe present', text: app({ startupProbe: live, livenessProbe: { ...live, initialDelaySeconds: 60 } }) },
    { name: 'small delay', text: app({ livenessProbe: { ...live, initialDelaySeconds: 29 } }) },
  ],
  invalid: [
    {
      name: 'liveness initialDelaySeconds 30 without startupProbe (the seed probes overlay)',
      text: app({ livenessProbe: { ...live, initialDelaySeconds: 30, failureThreshold: 1 } }),
      findings: [
        {
          messageId: 'fixedDelay',
          line: 33,
          container: 'app',
          data: { initialDelaySeconds: 30, budget: 40 },
          fix: 'add a startupProbe with the liveness handler, periodSeconds 5 and failureThreshold 8 (the same worst-case budget), and drop livenessProbe.initialDelaySeconds',
        },
      ],
    },
  ],
});
