import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// Named targetPorts resolve per pod; linter-landscape §5 item 14.
describeFixtures('service-port-unresolved');

const named = (name: string) => [{ name: 'app', image: 'example/web:1.0', ports: [{ name, containerPort: 8080 }] }];

describeCases('service-port-unresolved', [
  {
    name: 'invalid: targetPort http, container port named web',
    yaml: manifests({ containers: named('web'), service: { ports: [{ port: 80, targetPort: 'http' }] } }),
    expected: [{ message: /^targetPort "http" names no container port in Deployment\/web: those pods give the Service no endpoint for port 80/ }],
  },
  { name: 'valid: named port declared', yaml: manifests({ containers: named('http'), service: { ports: [{ port: 80, targetPort: 'http' }] } }), expected: [] },
  { name: 'valid: numeric targetPort', yaml: manifests({ containers: named('web') }), expected: [] },
  {
    name: 'valid: selects nothing in the input',
    yaml: manifests({ containers: named('web'), service: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 'http' }] } }),
    expected: [],
  },
]);
