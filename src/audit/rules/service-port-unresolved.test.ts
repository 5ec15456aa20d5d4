import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// Named targetPorts resolve per pod; docs/reference/linters.md#named-target-ports.
const named = (name: string) => [{ name: 'app', image: 'example/web:1.0', ports: [{ name, containerPort: 8080 }] }];
const second = (portName: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web-canary' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x', ports: [{ name: portName, containerPort: 8080 }] }] } },
  },
});

testRule('service-port-unresolved', {
  valid: [
    { name: 'named port declared', text: manifests({ containers: named('http'), service: { ports: [{ port: 80, targetPort: 'http' }] } }) },
    { name: 'numeric targetPort', text: manifests({ containers: named('web') }) },
    {
      name: 'one of two selected workloads lacks the name: the port still has endpoints through the other',
      text: manifests({ containers: named('http'), service: { ports: [{ port: 80, targetPort: 'http' }] }, extra: [second('web')] }),
    },
    {
      name: 'a native sidecar declares the name (FindPort searches it after the regular containers)',
      text: manifests({
        containers: named('web'),
        initContainers: [{ name: 'proxy', image: 'example/proxy:1', restartPolicy: 'Always', ports: [{ name: 'http', containerPort: 8443 }] }],
        service: { ports: [{ port: 80, targetPort: 'http' }] },
      }),
    },
    {
      name: 'selects nothing in the input',
      text: manifests({ containers: named('web'), service: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 'http' }] } }),
    },
  ],
  invalid: [
    {
      name: 'targetPort http, container port named web',
      text: manifests({ containers: named('web'), service: { ports: [{ port: 80, targetPort: 'http' }] } }),
      findings: [
        {
          messageId: 'noNamedPort',
          line: 10,
          data: { name: 'http', workloads: 'Deployment/web', port: '80' },
          fix: 'name the container port "http" in the pod template (ports: - name: http), or use the port number',
        },
      ],
    },
    {
      name: 'the name exists only with another protocol: FindPort matches name and protocol',
      text: manifests({
        containers: [{ name: 'app', image: 'example/dns:1.0', ports: [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }] }],
        service: { ports: [{ port: 53, targetPort: 'dns' }] },
      }),
      findings: [{ messageId: 'noNamedPort', line: 10, data: { name: 'dns', protocol: 'TCP' } }],
    },
  ],
});
