import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §3.2: Recreate kills all old pods before creating new ones.
describeFixtures('recreate-strategy');

describeCases('recreate-strategy', [
  {
    name: 'invalid: Recreate',
    yaml: manifests({ spec: { strategy: { type: 'Recreate' } } }),
    expected: [{ message: /strategy Recreate terminates all 3 pod\(s\) before the new version starts \(§3\.2\)/ }],
  },
  {
    name: 'invalid: Recreate for a claim says why there is a better way',
    yaml: manifests({
      replicas: 1,
      spec: { strategy: { type: 'Recreate' } },
      podSpec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'uploads' } }] },
    }),
    expected: [{ message: /for the claim "uploads", a StatefulSet or a ReadWriteMany volume/ }],
  },
  { name: 'valid: RollingUpdate by default', yaml: manifests(), expected: [] },
  {
    name: 'valid: a worker nobody routes to',
    yaml: manifests({ spec: { strategy: { type: 'Recreate' } }, service: { selector: { app: 'other' } } }),
    expected: [],
  },
]);
