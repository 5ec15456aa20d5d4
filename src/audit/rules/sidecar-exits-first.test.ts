import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §1.2 step 3: containers stop in parallel; §5.3 native sidecars stop after the mains; §6.2 proxy drain settings.
describeFixtures('sidecar-exits-first');

const proxy = (extra: Record<string, unknown> = {}) => ({
  name: 'cloud-sql-proxy',
  image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0',
  args: ['--port=5432', 'p:r:db'],
  ...extra,
});
const app = { ...APP, lifecycle: { preStop: { sleep: { seconds: 5 } } } };

describeCases('sidecar-exits-first', [
  {
    name: 'invalid: cloud-sql-proxy without a drain flag, at 1.33 the fix is a native sidecar',
    yaml: manifests({ containers: [app, proxy()] }),
    expected: [
      {
        container: 'cloud-sql-proxy',
        message:
          /"cloud-sql-proxy" \(cloud-sql-proxy\) is a regular container: .*SIGTERM at 0 s and exits while "app" still needs it until about 10 s \(preStop \+ 5 s drain\)/,
        fix: /native sidecar .*restartPolicy: Always/,
      },
    ],
  },
  {
    name: 'invalid: before 1.29 the fix is the drain setting',
    yaml: manifests({ containers: [app, proxy()] }),
    settings: { kubernetesVersion: '1.28' },
    expected: [{ fix: /^configure --max-sigterm-delay/, message: /regular container/ }],
  },
  {
    name: 'invalid: a proxy preStop shorter than the app needs',
    yaml: manifests({ containers: [app, proxy({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })] }),
    expected: [{ message: /SIGTERM at 5 s/ }],
  },
  {
    name: 'invalid: istio-proxy without drain configuration',
    yaml: manifests({ containers: [APP, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0' }] }),
    expected: [{ message: /\(istio-proxy\)/ }],
  },
  { name: 'valid: --max-sigterm-delay', yaml: manifests({ containers: [app, proxy({ args: ['--max-sigterm-delay=30s', 'p:r:db'] })] }), expected: [] },
  {
    name: 'valid: a proxy preStop outlasting the app',
    yaml: manifests({ containers: [app, proxy({ lifecycle: { preStop: { sleep: { seconds: 15 } } } })] }),
    expected: [],
  },
  {
    name: 'valid: linkerd annotation on the pod template',
    yaml: manifests({
      containers: [APP, { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:stable' }],
      templateAnnotations: { 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds': '15' },
    }),
    expected: [],
  },
  { name: 'valid: native sidecar', yaml: manifests({ initContainers: [{ ...proxy(), restartPolicy: 'Always' }], containers: [APP] }), expected: [] },
  { name: 'valid: the proxy alone (no app to outlive)', yaml: manifests({ containers: [proxy()] }), expected: [] },
]);
