import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/feature-versions.md#feature-timeline feature timeline; docs/reference/feature-versions.md#sleep-action sleep (1.30), docs/reference/feature-versions.md#zero-sleep sleep 0 (1.33), docs/reference/feature-versions.md#native-sidecars native sidecars (1.29), docs/reference/feature-versions.md#custom-stop-signal stopSignal (alpha), docs/reference/workload-updates.md#statefulset StatefulSet maxUnavailable.
const withLifecycle = (lifecycle: Record<string, unknown>) => manifests({ containers: [{ ...APP, lifecycle }] });
const statefulSet = (spec: Record<string, unknown>) => manifests({ kind: 'StatefulSet', spec });

testRule('feature-unavailable', {
  valid: [
    {
      name: 'StatefulSet maxUnavailable at 1.35.2',
      text: statefulSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }),
      settings: { kubernetesVersion: '1.35.2' },
    },
    { name: 'sleep 0 at 1.33', text: withLifecycle({ preStop: { sleep: { seconds: 0 } } }) },
    {
      name: 'native sidecar at 1.29',
      text: manifests({ initContainers: [{ name: 'proxy', image: 'example/proxy:1', restartPolicy: 'Always' }] }),
      settings: { kubernetesVersion: '1.29' },
    },
    {
      name: 'a readiness probe may not set terminationGracePeriodSeconds anyway',
      text: manifests({ containers: [{ ...APP, readinessProbe: { tcpSocket: { port: 8080 }, terminationGracePeriodSeconds: 5 } }] }),
      settings: { kubernetesVersion: '1.24' },
    },
  ],
  invalid: [
    {
      name: 'sleep action at 1.29',
      text: withLifecycle({ preStop: { sleep: { seconds: 5 } } }),
      settings: { kubernetesVersion: '1.29' },
      findings: [
        {
          messageId: 'sleepAction',
          line: 33,
          container: 'app',
          data: { version: '1.29' },
          fix: 'raise --kubernetes-version if the cluster is newer, or avoid lifecycle.preStop.sleep',
        },
      ],
    },
    {
      name: 'sleep 0 at 1.32',
      text: withLifecycle({ preStop: { sleep: { seconds: 0 } } }),
      settings: { kubernetesVersion: '1.32' },
      findings: [{ messageId: 'sleepActionAllowZero', line: 34, container: 'app', data: { version: '1.32' } }],
    },
    {
      name: 'stopSignal at 1.35 (alpha, off)',
      text: withLifecycle({ stopSignal: 'SIGQUIT' }),
      settings: { kubernetesVersion: '1.35' },
      findings: [{ messageId: 'containerStopSignals', line: 32, container: 'app', data: { version: '1.35' } }],
    },
    {
      name: 'native sidecar at 1.28',
      text: manifests({ initContainers: [{ name: 'proxy', image: 'example/proxy:1', restartPolicy: 'Always' }] }),
      settings: { kubernetesVersion: '1.28' },
      findings: [{ messageId: 'nativeSidecars', line: 29, container: 'proxy' }],
    },
    {
      name: 'StatefulSet maxUnavailable at 1.35.4',
      text: statefulSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }),
      settings: { kubernetesVersion: '1.35.4' },
      findings: [{ messageId: 'statefulSetMaxUnavailable', line: 20, data: { version: '1.35.4' } }],
    },
    {
      name: 'StatefulSet minReadySeconds at 1.22',
      text: statefulSet({ minReadySeconds: 10 }),
      settings: { kubernetesVersion: '1.22' },
      findings: [{ messageId: 'minReadySecondsStatefulSet', line: 18 }],
    },
    {
      name: 'DaemonSet maxSurge at 1.21',
      text: manifests({ kind: 'DaemonSet', spec: { updateStrategy: { rollingUpdate: { maxSurge: 1 } } } }),
      settings: { kubernetesVersion: '1.21' },
      findings: [{ messageId: 'daemonSetMaxSurge', line: 19 }],
    },
    {
      name: 'probe-level terminationGracePeriodSeconds on a liveness probe at 1.24',
      text: manifests({ containers: [{ ...APP, livenessProbe: { tcpSocket: { port: 8080 }, terminationGracePeriodSeconds: 5 } }] }),
      settings: { kubernetesVersion: '1.24' },
      findings: [{ messageId: 'probeTerminationGracePeriod', line: 34, container: 'app' }],
    },
  ],
});
