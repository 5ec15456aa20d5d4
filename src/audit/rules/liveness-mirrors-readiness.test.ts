import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// Rule of Uptime 3; kube-score#339 and #296: thresholds and timing count, not only the handler.
const http = { httpGet: { path: '/healthz', port: 8080 } };
const withProbes = (readinessProbe: unknown, livenessProbe: unknown) =>
  manifests({ containers: [{ name: 'app', image: 'example/web:1.0', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe, livenessProbe }] });

testRule('liveness-mirrors-readiness', {
  valid: [
    { name: 'higher liveness failureThreshold (kube-score#339)', text: withProbes(http, { ...http, failureThreshold: 6 }) },
    { name: 'different period', text: withProbes(http, { ...http, periodSeconds: 20 }) },
    { name: 'different path', text: withProbes(http, { httpGet: { path: '/live', port: 8080 } }) },
    { name: 'only a readiness probe', text: withProbes(http, undefined) },
  ],
  invalid: [
    {
      name: 'identical handler and default timing',
      text: withProbes(http, http),
      findings: [
        {
          messageId: 'mirrorsReadiness',
          line: 36,
          container: 'app',
          data: { handler: 'httpGet /healthz on port 8080', periodSeconds: 10, failureThreshold: 3 },
          fix: 'give livenessProbe a cheaper handler (process alive, not dependencies) or a higher failureThreshold than readiness (e.g. 6)',
        },
      ],
    },
    {
      name: 'a named port and its number are the same port (kube-score compared them as 0 == 0)',
      text: withProbes({ httpGet: { path: '/healthz', port: 'http' } }, http),
      findings: [{ messageId: 'mirrorsReadiness', line: 36, container: 'app' }],
    },
    {
      name: 'identical gRPC probes (kube-score never compared them)',
      text: withProbes({ grpc: { port: 9090 } }, { grpc: { port: 9090 } }),
      findings: [{ messageId: 'mirrorsReadiness', line: 35, container: 'app', data: { handler: 'grpc on port 9090' } }],
    },
  ],
});
