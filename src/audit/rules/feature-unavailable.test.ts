import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §0.1 feature timeline; §5.1 sleep (1.30), §5.2 sleep 0 (1.33), §5.3 native sidecars (1.29), §5.4 stopSignal (alpha), §3.4 StatefulSet maxUnavailable.
describeFixtures('feature-unavailable');

const withLifecycle = (lifecycle: Record<string, unknown>) => manifests({ containers: [{ ...APP, lifecycle }] });

describeCases('feature-unavailable', [
  {
    name: 'invalid: sleep action at 1.29',
    yaml: withLifecycle({ preStop: { sleep: { seconds: 5 } } }),
    settings: { kubernetesVersion: '1.29' },
    expected: [{ container: 'app', message: /^lifecycle\.preStop\.sleep is not available in Kubernetes 1\.29 \(on by default from 1\.30;/ }],
  },
  {
    name: 'invalid: sleep 0 at 1.32',
    yaml: withLifecycle({ preStop: { sleep: { seconds: 0 } } }),
    settings: { kubernetesVersion: '1.32' },
    expected: [{ message: /sleep\.seconds: 0 is not available in Kubernetes 1\.32 .*must be greater than 0/ }],
  },
  {
    name: 'invalid: stopSignal at 1.35 (alpha, off)',
    yaml: withLifecycle({ stopSignal: 'SIGQUIT' }),
    settings: { kubernetesVersion: '1.35' },
    expected: [{ message: /lifecycle\.stopSignal is not available in Kubernetes 1\.35 \(not on by default/ }],
  },
  {
    name: 'invalid: native sidecar at 1.28',
    yaml: manifests({ initContainers: [{ name: 'proxy', image: 'example/proxy:1', restartPolicy: 'Always' }] }),
    settings: { kubernetesVersion: '1.28' },
    expected: [{ container: 'proxy', message: /blocks the pod in Init forever/ }],
  },
  {
    name: 'invalid: StatefulSet maxUnavailable at 1.35.4',
    yaml: manifests({ kind: 'StatefulSet', spec: { updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } } }),
    settings: { kubernetesVersion: '1.35.4' },
    expected: [{ message: /inert: the StatefulSet still updates one pod at a time/ }],
  },
  {
    name: 'valid: StatefulSet maxUnavailable at 1.35.2',
    yaml: manifests({ kind: 'StatefulSet', spec: { updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } } }),
    settings: { kubernetesVersion: '1.35.2' },
    expected: [],
  },
  { name: 'valid: sleep 0 at 1.33', yaml: withLifecycle({ preStop: { sleep: { seconds: 0 } } }), expected: [] },
  {
    name: 'valid: native sidecar at 1.29',
    yaml: manifests({ initContainers: [{ name: 'proxy', image: 'example/proxy:1', restartPolicy: 'Always' }] }),
    settings: { kubernetesVersion: '1.29' },
    expected: [],
  },
]);
