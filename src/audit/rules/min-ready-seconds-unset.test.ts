import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §3.2 IsPodAvailable; §1.5 ingress and load-balancer registration delays.
describeFixtures('min-ready-seconds-unset');

describeCases('min-ready-seconds-unset', [
  {
    name: 'invalid: unset on a serving Deployment',
    yaml: manifests(),
    expected: [{ message: /^minReadySeconds is 0: a new pod counts as available at its first successful readiness probe \(§3\.2\)/ }],
  },
  { name: 'invalid: serving DaemonSet', yaml: manifests({ kind: 'DaemonSet' }), expected: [{ message: /minReadySeconds is 0/ }] },
  { name: 'valid: set', yaml: manifests({ spec: { minReadySeconds: 10 } }), expected: [] },
  { name: 'valid: not serving', yaml: manifests({ service: { selector: { app: 'other' } } }), expected: [] },
]);
