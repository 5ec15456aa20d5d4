import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// Rule of Uptime 3; kube-score#339 and #296: thresholds and timing count, not only the handler.
describeFixtures('liveness-mirrors-readiness');

const http = { httpGet: { path: '/healthz', port: 8080 } };
const withProbes = (readinessProbe: unknown, livenessProbe: unknown) =>
  manifests({ containers: [{ name: 'app', image: 'example/web:1.0', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe, livenessProbe }] });

describeCases('liveness-mirrors-readiness', [
  {
    name: 'invalid: identical handler and default timing',
    yaml: withProbes(http, http),
    expected: [
      {
        container: 'app',
        message: /repeats its readinessProbe \(httpGet \/healthz on port 8080, every 10 s, 3 failures\)/,
        fix: /failureThreshold than readiness \(e\.g\. 6\)/,
      },
    ],
  },
  {
    name: 'invalid: a named port and its number are the same port (kube-score compared them as 0 == 0)',
    yaml: withProbes({ httpGet: { path: '/healthz', port: 'http' } }, http),
    expected: [{ message: /repeats its readinessProbe/ }],
  },
  {
    name: 'invalid: identical gRPC probes (kube-score never compared them)',
    yaml: withProbes({ grpc: { port: 9090 } }, { grpc: { port: 9090 } }),
    expected: [{ message: /repeats its readinessProbe \(grpc on port 9090/ }],
  },
  { name: 'valid: higher liveness failureThreshold (kube-score#339)', yaml: withProbes(http, { ...http, failureThreshold: 6 }), expected: [] },
  { name: 'valid: different period', yaml: withProbes(http, { ...http, periodSeconds: 20 }), expected: [] },
  { name: 'valid: different path', yaml: withProbes(http, { httpGet: { path: '/live', port: 8080 } }), expected: [] },
  { name: 'valid: only a readiness probe', yaml: withProbes(http, undefined), expected: [] },
]);
