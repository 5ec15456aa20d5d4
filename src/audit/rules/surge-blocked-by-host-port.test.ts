import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/workload-updates.md#deployment-rollingupdate Deployment surge; docs/reference/workload-updates.md#daemonset DaemonSet surge starts the new pod on the same node.
const hostPort = [{ name: 'edge', image: 'haproxy:2.9', ports: [{ containerPort: 443, hostPort: 443 }] }];

testRule('surge-blocked-by-host-port', {
  valid: [
    { name: 'DaemonSet defaults (maxSurge 0)', text: manifests({ kind: 'DaemonSet', containers: hostPort }) },
    { name: 'Deployment without surge', text: manifests({ containers: hostPort, spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } } }) },
    { name: 'no hostPort', text: manifests() },
  ],
  invalid: [
    {
      name: 'Deployment with default surge (the seed traefik): it never proceeds',
      text: manifests({ replicas: 1, containers: hostPort }),
      findings: [
        {
          messageId: 'neverProceeds',
          line: 31,
          container: 'edge',
          data: { hostPort: 443, surge: 'maxSurge 1' },
          fix: 'drop hostPort and route through a Service, or keep a spare node and set maxUnavailable ≥ 1',
        },
      ],
    },
    {
      name: 'Deployment with surge and unavailability: an old pod goes first',
      text: manifests({ replicas: 4, containers: hostPort }),
      findings: [{ messageId: 'waitsForOldPod', line: 31, container: 'edge', data: { hostPort: 443 } }],
    },
    {
      name: 'DaemonSet with maxSurge',
      text: manifests({ kind: 'DaemonSet', containers: hostPort, spec: { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }),
      findings: [{ messageId: 'portTakenOnNode', line: 34, container: 'edge', data: { hostPort: 443, surge: 'maxSurge 1' }, fixId: 'noSurgeDrainFirst' }],
    },
  ],
});
