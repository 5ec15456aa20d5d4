import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// Named probe ports resolve among the container's own ports; kube-linter#1086 (ports set via args) must not fire.
const app = (extra: Record<string, unknown>) => ({ name: 'app', image: 'example/web:1.0', ...extra });
const ports = [{ name: 'http', containerPort: 8080 }];

testRule('probe-port-undeclared', {
  valid: [
    { name: 'declared name', text: manifests({ containers: [app({ ports, readinessProbe: { httpGet: { path: '/', port: 'http' } } })] }) },
    { name: 'numeric port, no ports declared (kube-linter#1086)', text: manifests({ containers: [app({ readinessProbe: { tcpSocket: { port: 9000 } } })] }) },
    {
      name: 'a numeric health port beside declared ports is not flagged: Kubernetes never requires declaring it',
      text: manifests({ containers: [app({ ports, readinessProbe: { tcpSocket: { port: 8081 } } })] }),
    },
    { name: 'exec probe', text: manifests({ containers: [app({ ports, livenessProbe: { exec: { command: ['true'] } } })] }) },
  ],
  invalid: [
    {
      name: 'readiness on an undeclared port name',
      text: manifests({ containers: [app({ ports, readinessProbe: { httpGet: { path: '/', port: 'health' } } })] }),
      findings: [
        {
          messageId: 'namedPortUndeclared',
          line: 35,
          container: 'app',
          data: { field: 'readinessProbe', port: 'health', declaredNames: '"http"', consequence: 'the pod never becomes Ready' },
          fix: 'name the container port "health" (ports: - name: health), or use the port number',
        },
      ],
    },
    {
      name: 'liveness on an undeclared name restarts the container forever',
      text: manifests({ containers: [app({ livenessProbe: { tcpSocket: { port: 'admin' } } })] }),
      findings: [
        {
          messageId: 'namedPortWithoutNames',
          line: 31,
          container: 'app',
          data: { field: 'livenessProbe', port: 'admin', consequence: 'the container is restarted over and over' },
        },
      ],
    },
    {
      name: 'numeric port owned by another container probes that container',
      text: manifests({
        containers: [
          app({ readinessProbe: { httpGet: { path: '/', port: 15021 } } }),
          { name: 'envoy', image: 'envoyproxy/envoy:v1.30', ports: [{ containerPort: 15021 }] },
        ],
      }),
      findings: [
        {
          messageId: 'probesOtherContainer',
          line: 32,
          container: 'app',
          data: { port: 15021, owner: 'envoy', podState: 'Ready' },
          fix: 'probe a port "app" itself listens on',
        },
      ],
    },
  ],
});
