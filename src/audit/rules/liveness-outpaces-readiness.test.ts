import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// Failure windows per docs/reference/probes.md#fields-and-defaults (failureThreshold × periodSeconds + timeoutSeconds); kube-score#285.
const ready = { httpGet: { path: '/ready', port: 8080 } };
const live = { httpGet: { path: '/live', port: 8080 } };
const withProbes = (readinessProbe: unknown, livenessProbe: unknown) =>
  manifests({ containers: [{ name: 'app', image: 'example/web:1.0', readinessProbe, livenessProbe }] });

testRule('liveness-outpaces-readiness', {
  valid: [
    { name: 'liveness slower than readiness', text: withProbes({ ...ready, periodSeconds: 5 }, { ...live, failureThreshold: 6 }) },
    { name: 'equal windows', text: withProbes(ready, live) },
    { name: 'identical probes are left to liveness-mirrors-readiness', text: withProbes({ ...ready, periodSeconds: 20 }, { ...ready, periodSeconds: 20 }) },
    { name: 'liveness without readiness and threshold ≥ 2', text: withProbes(undefined, { ...live, failureThreshold: 2 }) },
  ],
  invalid: [
    {
      name: 'liveness failureThreshold 1 (the seed probes overlay), at the threshold',
      text: withProbes({ ...ready, periodSeconds: 3 }, { ...live, initialDelaySeconds: 30, failureThreshold: 1 }),
      findings: [
        {
          messageId: 'thresholdOne',
          line: 39,
          container: 'app',
          data: { timeoutSeconds: 1 },
          fix: 'raise livenessProbe.failureThreshold to at least 4',
        },
      ],
    },
    {
      name: 'liveness gives up after 11 s, readiness after 31 s',
      text: withProbes(ready, { ...live, periodSeconds: 5, failureThreshold: 2 }),
      findings: [
        {
          messageId: 'fasterThanReadiness',
          line: 33,
          container: 'app',
          data: { livenessWindow: 11, failureThreshold: 2, periodSeconds: 5, timeoutSeconds: 1, readinessWindow: 31 },
          fix: 'make liveness slower to fail than readiness: failureThreshold × periodSeconds above 30 s',
        },
      ],
    },
  ],
});
