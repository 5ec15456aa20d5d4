import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/workload-updates.md#daemonset DaemonSet defaults maxUnavailable 1, maxSurge 0; maxSurge GA 1.25 (on from 1.22).
testRule('daemonset-update-unavailable', {
  valid: [
    { name: 'maxSurge 1', text: manifests({ kind: 'DaemonSet', spec: { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }) },
    { name: 'OnDelete', text: manifests({ kind: 'DaemonSet', spec: { updateStrategy: { type: 'OnDelete' } } }) },
    { name: 'not serving', text: manifests({ kind: 'DaemonSet', service: { selector: { app: 'other' } } }) },
    {
      name: 'hostPort, but the serving container drains first (preStop sleep ≥ propagation)',
      text: manifests({
        kind: 'DaemonSet',
        containers: [{ name: 'edge', image: 'haproxy:2.9', ports: [{ containerPort: 80, hostPort: 80 }], lifecycle: { preStop: { sleep: { seconds: 15 } } } }],
      }),
    },
    {
      name: "Contour's Envoy: the preStop asks the shutdown-manager, which fails health checks and waits for connections",
      text: manifests({
        kind: 'DaemonSet',
        containers: [
          {
            name: 'shutdown-manager',
            image: 'ghcr.io/projectcontour/contour:v1.30.0',
            command: ['/bin/contour'],
            args: ['envoy', 'shutdown-manager'],
            lifecycle: { preStop: { exec: { command: ['/bin/contour', 'envoy', 'shutdown'] } } },
          },
          {
            name: 'envoy',
            image: 'docker.io/envoyproxy/envoy:v1.31.0',
            command: ['envoy'],
            args: ['-c', '/config/envoy.json'],
            ports: [{ containerPort: 8080, hostPort: 80 }],
            lifecycle: { preStop: { httpGet: { path: '/shutdown', port: 8090 } } },
          },
        ],
        podSpec: { terminationGracePeriodSeconds: 300 },
      }),
    },
  ],
  invalid: [
    {
      name: 'defaults: maxSurge 0 by default, at the spec it is missing from',
      text: manifests({ kind: 'DaemonSet' }),
      findings: [{ messageId: 'surgeZeroByDefault', line: 16, fixId: 'setMaxSurge' }],
    },
    {
      name: 'explicit maxSurge 0',
      text: manifests({ kind: 'DaemonSet', spec: { updateStrategy: { rollingUpdate: { maxSurge: 0 } } } }),
      findings: [{ messageId: 'surgeZero', line: 19, fixId: 'setMaxSurge' }],
    },
    {
      name: 'with hostPort the advice changes: drain the node first',
      text: manifests({ kind: 'DaemonSet', containers: [{ name: 'edge', image: 'haproxy:2.9', ports: [{ containerPort: 80, hostPort: 80 }] }] }),
      findings: [{ messageId: 'surgeZeroByDefault', line: 16, fixId: 'drainNodeFirst' }],
    },
    {
      name: 'a preStop shorter than the propagation time does not drain the node first',
      text: manifests({
        kind: 'DaemonSet',
        containers: [{ name: 'edge', image: 'haproxy:2.9', ports: [{ containerPort: 80, hostPort: 80 }], lifecycle: { preStop: { sleep: { seconds: 2 } } } }],
      }),
      findings: [{ messageId: 'surgeZeroByDefault', fixId: 'drainNodeFirst' }],
    },
    {
      name: 'before 1.22 there is no DaemonSet maxSurge to set',
      text: manifests({ kind: 'DaemonSet' }),
      settings: { kubernetesVersion: '1.21' },
      findings: [{ messageId: 'surgeZeroByDefault', line: 16, fixId: 'upgradeOrDrain' }],
    },
  ],
});
