import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// Named probe ports resolve among the container's own ports; kube-linter#1086 (ports set via args) must not fire.
describeFixtures('probe-port-undeclared');

const app = (extra: Record<string, unknown>) => ({ name: 'app', image: 'example/web:1.0', ...extra });
const ports = [{ name: 'http', containerPort: 8080 }];

describeCases('probe-port-undeclared', [
  {
    name: 'invalid: readiness on an undeclared port name',
    yaml: manifests({ containers: [app({ ports, readinessProbe: { httpGet: { path: '/', port: 'health' } } })] }),
    expected: [{ container: 'app', message: /named port "health", but the container declares only "http": .*the pod never becomes Ready/ }],
  },
  {
    name: 'invalid: liveness on an undeclared name restarts the container forever',
    yaml: manifests({ containers: [app({ livenessProbe: { tcpSocket: { port: 'admin' } } })] }),
    expected: [{ message: /declares no named ports: .*restarted over and over/ }],
  },
  {
    name: 'invalid: numeric port owned by another container probes that container',
    yaml: manifests({
      containers: [
        app({ readinessProbe: { httpGet: { path: '/', port: 15021 } } }),
        { name: 'envoy', image: 'envoyproxy/envoy:v1.30', ports: [{ containerPort: 15021 }] },
      ],
    }),
    expected: [{ container: 'app', message: /checks port 15021, which container "envoy" declares: it probes "envoy", not "app"/ }],
  },
  {
    name: 'invalid: numeric port not among declared ports',
    yaml: manifests({ containers: [app({ ports, readinessProbe: { tcpSocket: { port: 8081 } } })] }),
    expected: [{ message: /checks port 8081, which is not among its containerPorts \(8080\)/ }],
  },
  { name: 'valid: declared name', yaml: manifests({ containers: [app({ ports, readinessProbe: { httpGet: { path: '/', port: 'http' } } })] }), expected: [] },
  {
    name: 'valid: numeric port, no ports declared (kube-linter#1086)',
    yaml: manifests({ containers: [app({ readinessProbe: { tcpSocket: { port: 9000 } } })] }),
    expected: [],
  },
  { name: 'valid: exec probe', yaml: manifests({ containers: [app({ ports, livenessProbe: { exec: { command: ['true'] } } })] }), expected: [] },
]);
