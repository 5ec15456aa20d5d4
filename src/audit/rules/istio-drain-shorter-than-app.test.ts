import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/traffic-paths.md#istio-sidecars: a classic sidecar gets SIGTERM with the app and Envoy is
// killed after terminationDrainDuration (default 5 s); native sidecars stop after the app.
const enabled = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } };
const app = (preStopSeconds: number) => ({ ...APP, lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } } });
const meshed = (
  o: { preStop?: number; annotations?: Record<string, string>; podSpec?: Record<string, unknown>; containers?: Array<Record<string, unknown>> } = {},
) =>
  manifests({
    containers: o.containers ?? [app(o.preStop ?? 10)],
    ...(o.annotations ? { templateAnnotations: o.annotations } : {}),
    ...(o.podSpec ? { podSpec: o.podSpec } : {}),
    extra: [enabled],
  });
const v132 = { kubernetesVersion: '1.32' };
const annotationsPath = (a: Record<string, string>) => ({ spec: { template: { metadata: { annotations: a } } } });

testRule('istio-drain-shorter-than-app', {
  valid: [
    { name: 'no app preStop: the app is done when the 5 s drain ends', text: meshed({ containers: [APP] }), settings: v132 },
    { name: 'target 1.33: Istio 1.27+ injects a native sidecar', text: meshed() },
    {
      name: 'terminationDrainDuration covers preStop + drain',
      text: meshed({ annotations: { 'proxy.istio.io/config': 'terminationDrainDuration: 15s\n' } }),
      settings: v132,
    },
    {
      name: 'EXIT_ON_ZERO_ACTIVE_CONNECTIONS',
      text: meshed({ annotations: { 'proxy.istio.io/config': 'proxyMetadata:\n  EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true"\n' } }),
      settings: v132,
    },
    { name: 'native sidecar by annotation', text: meshed({ annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } }), settings: v132 },
    { name: 'no injection label on the Namespace or the pod', text: manifests({ containers: [app(10)] }), settings: v132 },
    {
      name: 'an istio-proxy written in the pod spec is sidecar-exits-first’s',
      text: meshed({ containers: [app(10), { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0' }] }),
      settings: v132,
    },
    {
      name: 'an app preStop that cannot be timed',
      text: meshed({ containers: [{ ...APP, lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }] }),
      settings: v132,
    },
    {
      name: 'the mesh ConfigMap sets a drain that covers the app',
      text: `${meshed()}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    defaultConfig:\n      terminationDrainDuration: 20s\n`,
      settings: v132,
    },
  ],
  invalid: [
    {
      name: 'preStop 10 s on 1.32: native sidecars exist, so the fix is the annotation',
      text: meshed(),
      settings: v132,
      findings: [
        {
          messageId: 'drainEndsBeforeApp',
          data: {
            injectedBy: 'Namespace default label istio-injection=enabled',
            drain: '5 s',
            drainFrom: ' (the default)',
            app: 'app',
            appDone: '15 s',
            preStop: '10 s',
          },
          fix: 'annotate the pod template sidecar.istio.io/nativeSidecar: "true" (Istio 1.24+; istio-proxy then stops only after the app has exited), or set terminationDrainDuration: 15s in its proxy.istio.io/config annotation',
          patch: annotationsPath({ 'sidecar.istio.io/nativeSidecar': 'true' }),
        },
      ],
    },
    {
      name: 'before native sidecars the fix is the drain duration, keeping the other proxy-config keys',
      text: meshed({ annotations: { 'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true\nterminationDrainDuration: 5s\n' } }),
      settings: { kubernetesVersion: '1.28' },
      findings: [
        {
          messageId: 'drainEndsBeforeApp',
          line: 26,
          data: { drainFrom: ' (proxy.istio.io/config)' },
          fixId: 'drainDuration',
          patch: annotationsPath({ 'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true\nterminationDrainDuration: 15s\n' }),
        },
      ],
    },
    {
      name: 'the pod opts out of native mode on 1.33',
      text: meshed({ preStop: 20, annotations: { 'sidecar.istio.io/nativeSidecar': 'false' } }),
      findings: [
        {
          messageId: 'drainEndsBeforeApp',
          data: { nativeBy: 'annotation sidecar.istio.io/nativeSidecar: "false"', appDone: '25 s' },
          patch: annotationsPath({ 'sidecar.istio.io/nativeSidecar': 'true' }),
        },
      ],
    },
    {
      name: 'the pod label injects without a Namespace in the input, named as an assumption',
      text: manifests({ containers: [app(10)] }).replace(
        '      labels:\n        app: web',
        '      labels:\n        app: web\n        sidecar.istio.io/inject: "true"',
      ),
      settings: { kubernetesVersion: '1.30', drainSeconds: 2 },
      findings: [
        {
          messageId: 'drainEndsBeforeApp',
          data: { injectedBy: 'Pod label sidecar.istio.io/inject: "true"', appDone: '12 s', appDrain: '2 s' },
          patch: annotationsPath({ 'sidecar.istio.io/nativeSidecar': 'true' }),
        },
      ],
    },
    {
      name: 'a drain longer than the grace period',
      text: meshed({ containers: [APP], annotations: { 'proxy.istio.io/config': 'terminationDrainDuration: 45s' } }),
      settings: v132,
      findings: [
        {
          messageId: 'graceCutsDrain',
          data: { drain: '45 s', drainFrom: 'proxy.istio.io/config', grace: 'terminationGracePeriodSeconds 30 (the default)' },
          fix: 'raise terminationGracePeriodSeconds to at least 45, or shorten terminationDrainDuration',
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 45 } } } },
        },
      ],
    },
    {
      name: 'an IstioOperator drain longer than the grace period',
      text: `${meshed({ containers: [APP] })}---\napiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: control-plane, namespace: istio-system}\nspec:\n  meshConfig:\n    defaultConfig:\n      terminationDrainDuration: 40s\n`,
      settings: v132,
      findings: [
        {
          messageId: 'graceCutsDrain',
          data: { drain: '40 s', drainFrom: 'IstioOperator istio-system/control-plane' },
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 40 } } } },
        },
      ],
    },
  ],
});
