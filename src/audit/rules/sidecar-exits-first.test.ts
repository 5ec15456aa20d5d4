import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/pod-termination.md#containers-stop-in-parallel: containers stop in parallel; docs/reference/feature-versions.md#native-sidecars native sidecars stop after the mains; docs/reference/signals.md#image-stop-signals proxy drain settings.
const proxy = (extra: Record<string, unknown> = {}) => ({
  name: 'cloud-sql-proxy',
  image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0',
  args: ['--port=5432', 'p:r:db'],
  ...extra,
});
const app = { ...APP, lifecycle: { preStop: { sleep: { seconds: 5 } } } };

testRule('sidecar-exits-first', {
  valid: [
    { name: '--max-sigterm-delay', text: manifests({ containers: [app, proxy({ args: ['--max-sigterm-delay=30s', 'p:r:db'] })] }) },
    { name: 'a proxy preStop outlasting the app', text: manifests({ containers: [app, proxy({ lifecycle: { preStop: { sleep: { seconds: 15 } } } })] }) },
    {
      name: 'linkerd annotation on the pod template',
      text: manifests({
        containers: [APP, { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:stable' }],
        templateAnnotations: { 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds': '15' },
      }),
    },
    { name: 'native sidecar', text: manifests({ initContainers: [{ ...proxy(), restartPolicy: 'Always' }], containers: [APP] }) },
    { name: 'the proxy alone (no app to outlive)', text: manifests({ containers: [proxy()] }) },
  ],
  invalid: [
    {
      name: 'cloud-sql-proxy without a drain flag, at 1.33 the fix is a native sidecar',
      text: manifests({ containers: [app, proxy()] }),
      findings: [
        {
          messageId: 'exitsBeforeApp',
          line: 35,
          container: 'cloud-sql-proxy',
          data: { proxy: 'cloud-sql-proxy', proxyStops: '0 s', apps: '"app"', appDone: '10 s', drain: '5 s' },
          fixId: 'nativeSidecar',
        },
      ],
    },
    {
      name: 'before 1.29 the fix is the drain setting',
      text: manifests({ containers: [app, proxy()] }),
      settings: { kubernetesVersion: '1.28' },
      findings: [{ messageId: 'exitsBeforeApp', line: 35, container: 'cloud-sql-proxy', data: { appDoneSeconds: 10 }, fixId: 'drainSetting' }],
    },
    {
      name: 'a proxy preStop shorter than the app needs',
      text: manifests({ containers: [app, proxy({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })] }),
      findings: [{ messageId: 'exitsBeforeApp', line: 35, container: 'cloud-sql-proxy', data: { proxyStops: '5 s' } }],
    },
    {
      name: 'istio-proxy without drain configuration',
      text: manifests({ containers: [APP, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0' }] }),
      findings: [{ messageId: 'exitsBeforeApp', line: 31, container: 'istio-proxy', data: { proxy: 'istio-proxy' } }],
    },
  ],
});
