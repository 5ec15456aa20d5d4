import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §3.1 Deployment surge; §3.5 DaemonSet surge starts the new pod on the same node.
describeFixtures('surge-blocked-by-host-port');

const hostPort = [{ name: 'edge', image: 'haproxy:2.9', ports: [{ containerPort: 443, hostPort: 443 }] }];

describeCases('surge-blocked-by-host-port', [
  {
    name: 'invalid: Deployment with default surge (the seed traefik)',
    yaml: manifests({ replicas: 1, containers: hostPort }),
    expected: [
      {
        container: 'edge',
        message: /hostPort 443 allows one such pod per node, and the rollout surges \(maxSurge 1\).*with maxUnavailable 0, the rollout never proceeds/,
      },
    ],
  },
  {
    name: 'invalid: Deployment with surge and unavailability',
    yaml: manifests({ replicas: 4, containers: hostPort }),
    expected: [{ message: /until an old pod is stopped first/ }],
  },
  {
    name: 'invalid: DaemonSet with maxSurge',
    yaml: manifests({ kind: 'DaemonSet', containers: hostPort, spec: { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }),
    expected: [{ message: /surge pod starts on the same node as the pod it replaces, where port 443 is taken/ }],
  },
  { name: 'valid: DaemonSet defaults (maxSurge 0)', yaml: manifests({ kind: 'DaemonSet', containers: hostPort }), expected: [] },
  {
    name: 'valid: Deployment without surge',
    yaml: manifests({ containers: hostPort, spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } } }),
    expected: [],
  },
  { name: 'valid: no hostPort', yaml: manifests(), expected: [] },
]);
