import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §1.2 step 3 and §1.3: stop signal and endpoint removal race; §5.1: the sleep action from 1.30.
describeFixtures('prestop-missing');

const containers = (patch: Record<string, unknown>) => ({ spec: { template: { spec: { containers: [{ name: 'app', ...patch }] } } } });

describeCases('prestop-missing', [
  {
    name: 'invalid: no preStop; at 1.33 the fix is the sleep action',
    yaml: manifests(),
    expected: [
      {
        container: 'app',
        message: /container "app" has no preStop hook: .*endpoint removal is still propagating \(assumed 5 s, --propagation-seconds\)/,
        fix: /lifecycle\.preStop\.sleep\.seconds: 5/,
        patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }),
      },
    ],
  },
  {
    name: 'invalid: at 1.29 the fix is exec sleep',
    yaml: manifests(),
    settings: { kubernetesVersion: '1.29' },
    expected: [{ message: /no preStop hook/, patch: containers({ lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } }) }],
  },
  {
    name: 'invalid: at 1.29 a distroless image gets no machine fix, and advice to drain in the app',
    yaml: manifests({ containers: [{ ...APP, image: 'gcr.io/distroless/nodejs20-debian12' }] }),
    settings: { kubernetesVersion: '1.29' },
    expected: [{ message: /no preStop hook/, fix: /no sleep binary .*zerodrop.dev\/in-app-drain/ }],
  },
  {
    name: 'invalid: a long propagation assumption also raises the grace period in the patch',
    yaml: manifests(),
    settings: { propagationSeconds: 40 },
    expected: [
      {
        message: /assumed 40 s/,
        patch: {
          spec: {
            template: { spec: { terminationGracePeriodSeconds: 45, containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 40 } } } }] } },
          },
        },
      },
    ],
  },
  { name: 'valid: sleep action', yaml: manifests({ containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 5 } } } }] }), expected: [] },
  { name: 'valid: in-app drain declared', yaml: manifests({ templateAnnotations: { 'zerodrop.dev/in-app-drain': 'true' } }), expected: [] },
  { name: 'valid: not serving (a Service exists but selects other pods)', yaml: manifests({ service: { selector: { app: 'other' } } }), expected: [] },
]);
