import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// Failure windows per §2.1 (failureThreshold × periodSeconds + timeoutSeconds); kube-score#285.
describeFixtures('liveness-outpaces-readiness');

const ready = { httpGet: { path: '/ready', port: 8080 } };
const live = { httpGet: { path: '/live', port: 8080 } };
const withProbes = (readinessProbe: unknown, livenessProbe: unknown) =>
  manifests({ containers: [{ name: 'app', image: 'example/web:1.0', readinessProbe, livenessProbe }] });

describeCases('liveness-outpaces-readiness', [
  {
    name: 'invalid: liveness failureThreshold 1 (the seed probes overlay)',
    yaml: withProbes({ ...ready, periodSeconds: 3 }, { ...live, initialDelaySeconds: 30, failureThreshold: 1 }),
    expected: [{ container: 'app', message: /failureThreshold 1: one probe slower than its 1 s timeout .* restarts the container/, fix: /at least 4/ }],
  },
  {
    name: 'invalid: liveness gives up after 11 s, readiness after 31 s',
    yaml: withProbes(ready, { ...live, periodSeconds: 5, failureThreshold: 2 }),
    expected: [
      { message: /restarts the container after 11 s of failures \(2 × 5 s \+ 1 s timeout\) but readinessProbe only takes it out of rotation after 31 s/ },
    ],
  },
  { name: 'valid: liveness slower than readiness', yaml: withProbes({ ...ready, periodSeconds: 5 }, { ...live, failureThreshold: 6 }), expected: [] },
  { name: 'valid: equal windows', yaml: withProbes(ready, live), expected: [] },
  {
    name: 'valid: identical probes are left to liveness-mirrors-readiness',
    yaml: withProbes({ ...ready, periodSeconds: 20 }, { ...ready, periodSeconds: 20 }),
    expected: [],
  },
  { name: 'valid: liveness without readiness and threshold ≥ 2', yaml: withProbes(undefined, { ...live, failureThreshold: 2 }), expected: [] },
]);
