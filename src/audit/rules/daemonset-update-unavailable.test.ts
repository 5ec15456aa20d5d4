import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §3.5 DaemonSet defaults maxUnavailable 1, maxSurge 0; maxSurge GA 1.25 (on from 1.22).
describeFixtures('daemonset-update-unavailable');

describeCases('daemonset-update-unavailable', [
  {
    name: 'invalid: defaults',
    yaml: manifests({ kind: 'DaemonSet' }),
    expected: [{ message: /^DaemonSet updates with maxSurge 0 \(the default, §3\.5\)/, fix: /maxSurge: 1 and maxUnavailable: 0/ }],
  },
  {
    name: 'invalid: explicit 0',
    yaml: manifests({ kind: 'DaemonSet', spec: { updateStrategy: { rollingUpdate: { maxSurge: 0 } } } }),
    expected: [{ message: /^DaemonSet updates with maxSurge 0:/ }],
  },
  {
    name: 'invalid: with hostPort the advice changes',
    yaml: manifests({ kind: 'DaemonSet', containers: [{ name: 'edge', image: 'haproxy:2.9', ports: [{ containerPort: 80, hostPort: 80 }] }] }),
    expected: [{ message: /maxSurge 0/, fix: /hostPort rules surge out/ }],
  },
  {
    name: 'valid: maxSurge 1',
    yaml: manifests({ kind: 'DaemonSet', spec: { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }),
    expected: [],
  },
  { name: 'valid: OnDelete', yaml: manifests({ kind: 'DaemonSet', spec: { updateStrategy: { type: 'OnDelete' } } }), expected: [] },
  { name: 'valid: not serving', yaml: manifests({ kind: 'DaemonSet', service: { selector: { app: 'other' } } }), expected: [] },
]);
