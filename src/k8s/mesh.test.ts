import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseKubernetesVersion } from './features.js';
import { istioMeshDefaultsOf, meshOf, meshSidecarsOf, type IstioSidecar, type LinkerdSidecar, type MeshContext } from './mesh.js';
import { podTemplateOf, type KubeObject } from './objects.js';

// Every case is a manifest as a user writes it; the sources of each fact are in src/k8s/mesh.ts
// and docs/reference/traffic-paths.md#service-meshes.
const ctx = (version = '1.33'): MeshContext => ({ kubernetesVersion: parseKubernetesVersion(version), parseYaml: parse });

function load(text: string): { workload: KubeObject; namespace: KubeObject | undefined } {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
  return { workload: docs.find((d) => d.kind !== 'Namespace')!, namespace: docs.find((d) => d.kind === 'Namespace') };
}

function sidecars(text: string, version?: string) {
  const { workload, namespace } = load(text);
  const t = podTemplateOf(workload)!;
  const pod = {
    ...(workload.metadata?.namespace ? { namespace: workload.metadata.namespace } : {}),
    labels: t.metadata?.labels ?? {},
    annotations: t.metadata?.annotations ?? {},
    ...(t.spec ? { spec: t.spec } : {}),
  };
  return { all: meshSidecarsOf(pod, namespace, ctx(version)), intercepting: meshOf(pod, namespace, ctx(version)) };
}

const deployment = (metadata: string, spec = 'containers: [{name: app, image: example/web:1.0}]') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
${metadata
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
    spec:
      ${spec}
`;

const namespace = (metadata: string) => `---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
${metadata
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

describe('meshOf: Istio injection follows the sidecar-injector webhooks', () => {
  it('a Namespace labelled istio-injection=enabled injects every pod that does not opt out', () => {
    const { intercepting } = sidecars(deployment('labels: {app: web}') + namespace('labels: {istio-injection: enabled}'));
    expect(intercepting).toMatchObject({ mesh: 'istio', proxy: 'istio-proxy', injectedBy: 'Namespace shop label istio-injection=enabled', rendered: false });
  });

  it('a revision label on the Namespace injects too', () => {
    expect(sidecars(deployment('labels: {app: web}') + namespace('labels: {istio.io/rev: prod-stable}')).intercepting?.injectedBy).toBe(
      'Namespace shop label istio.io/rev=prod-stable',
    );
  });

  it('the pod label sidecar.istio.io/inject: "false" opts out of an enabled Namespace, and wins over the annotation', () => {
    const meta = 'labels: {app: web, sidecar.istio.io/inject: "false"}\nannotations: {sidecar.istio.io/inject: "true"}';
    expect(sidecars(deployment(meta) + namespace('labels: {istio-injection: enabled}')).intercepting).toBeUndefined();
  });

  it('istio-injection=disabled on the Namespace beats the pod label', () => {
    const meta = 'labels: {app: web, sidecar.istio.io/inject: "true"}';
    expect(sidecars(deployment(meta) + namespace('labels: {istio-injection: disabled}')).intercepting).toBeUndefined();
  });

  it('the pod label alone injects, naming the Namespace it cannot see', () => {
    const s = sidecars(deployment('labels: {app: web, sidecar.istio.io/inject: "true"}')).intercepting;
    expect(s?.injectedBy).toBe('pod label sidecar.istio.io/inject: "true"');
    expect(s?.assumptions).toContain('its Namespace (not in the input) does not set istio-injection=disabled');
  });

  it('the deprecated annotation alone selects no webhook: injected only when the Namespace is labelled, assumed when it is not in the input', () => {
    const meta = 'labels: {app: web}\nannotations: {sidecar.istio.io/inject: "true"}';
    expect(sidecars(deployment(meta) + namespace('labels: {team: a}')).intercepting).toBeUndefined();
    expect(sidecars(deployment(meta)).intercepting?.assumptions[0]).toMatch(/labelled istio-injection=enabled or istio.io\/rev/);
  });

  it('no label anywhere: no mesh', () => {
    expect(sidecars(deployment('labels: {app: web}')).all).toEqual([]);
    expect(sidecars(deployment('labels: {app: web}') + namespace('labels: {team: a}')).all).toEqual([]);
  });

  it('ambient mode and host networking get no sidecar', () => {
    expect(sidecars(deployment('labels: {app: web}') + namespace('labels: {istio-injection: enabled, istio.io/dataplane-mode: ambient}')).all).toEqual([]);
    const hostNet = deployment('labels: {app: web, sidecar.istio.io/inject: "true"}', 'hostNetwork: true\n      containers: [{name: app, image: x}]');
    expect(sidecars(hostNet).all).toEqual([]);
  });
});

describe('meshOf: Istio drain settings come from proxy.istio.io/config, parsed as YAML', () => {
  const enabled = namespace('labels: {istio-injection: enabled}');

  it('defaults: a 5 s termination drain, no hold, no exit on zero connections, each named as an assumption', () => {
    const s = sidecars(deployment('labels: {app: web}') + enabled).intercepting as IstioSidecar;
    expect(s).toMatchObject({
      terminationDrainSeconds: 5,
      terminationDrainSetBy: undefined,
      exitOnZeroActiveConnections: false,
      holdApplicationUntilProxyStarts: false,
    });
    expect(s.assumptions.join('\n')).toMatch(/terminationDrainDuration is the default \(5 s\): the mesh ConfigMap's defaultConfig is not in the input/);
  });

  it('a block-scalar proxy config with the drain, the hold and proxyMetadata', () => {
    const meta = `labels: {app: web}
annotations:
  proxy.istio.io/config: |
    terminationDrainDuration: 45s
    holdApplicationUntilProxyStarts: true
    proxyMetadata:
      EXIT_ON_ZERO_ACTIVE_CONNECTIONS: 'true'`;
    const s = sidecars(deployment(meta) + enabled).intercepting as IstioSidecar;
    expect(s).toMatchObject({
      terminationDrainSeconds: 45,
      terminationDrainSetBy: 'proxy.istio.io/config',
      exitOnZeroActiveConnections: true,
      holdApplicationUntilProxyStarts: true,
    });
  });

  it('a JSON flow proxy config reads the same', () => {
    const meta = `labels: {app: web}\nannotations:\n  proxy.istio.io/config: '{ "holdApplicationUntilProxyStarts": true, "terminationDrainDuration": "1m30s" }'`;
    expect(sidecars(deployment(meta) + enabled).intercepting).toMatchObject({ terminationDrainSeconds: 90, holdApplicationUntilProxyStarts: true });
  });

  it('a proxy config that is not a mapping is reported and ignored', () => {
    const meta = `labels: {app: web}\nannotations:\n  proxy.istio.io/config: 'terminationDrainDuration 30s'`;
    expect(sidecars(deployment(meta) + enabled).intercepting).toMatchObject({
      terminationDrainSeconds: 5,
      proxyConfigError: 'proxy.istio.io/config is not a YAML mapping',
    });
  });
});

describe('istioMeshDefaultsOf: the mesh-wide defaultConfig under the pod annotation', () => {
  const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    defaultConfig:
      terminationDrainDuration: 20s
      holdApplicationUntilProxyStarts: true
      proxyMetadata:
        ISTIO_META_DNS_CAPTURE: "true"
`;
  const operator = `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: control-plane, namespace: istio-system}
spec:
  meshConfig:
    defaultConfig:
      terminationDrainDuration: 30s
`;
  const objects = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as KubeObject);

  it('reads the istio ConfigMap and an IstioOperator, and nothing else', () => {
    expect(istioMeshDefaultsOf(objects(configMap), parse)?.source).toBe('ConfigMap istio-system/istio');
    expect(istioMeshDefaultsOf(objects(operator), parse)).toEqual({
      source: 'IstioOperator istio-system/control-plane',
      defaultConfig: { terminationDrainDuration: '30s' },
    });
    expect(istioMeshDefaultsOf(objects(configMap.replace('name: istio,', 'name: istio-sidecar-injector,')), parse)).toBeUndefined();
  });

  it('the pod annotation overrides the mesh default key by key', () => {
    const defaults = istioMeshDefaultsOf(objects(configMap), parse)!;
    const pod = {
      labels: { 'sidecar.istio.io/inject': 'true' },
      annotations: { 'proxy.istio.io/config': 'proxyMetadata:\n  EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true"\n' },
    };
    const s = meshOf(pod, undefined, { ...ctx(), istioMeshDefaults: defaults }) as IstioSidecar;
    expect(s).toMatchObject({
      terminationDrainSeconds: 20,
      terminationDrainSetBy: 'ConfigMap istio-system/istio',
      holdApplicationUntilProxyStarts: true,
      exitOnZeroActiveConnections: true,
    });
    expect(s.assumptions.join('\n')).not.toMatch(/terminationDrainDuration|holdApplicationUntilProxyStarts/);
  });
});

describe('meshOf: native or classic sidecar', () => {
  const enabled = namespace('labels: {istio-injection: enabled}');

  it('Istio: the annotation decides; else classic before 1.33 and native (assumed Istio ≥ 1.27) from 1.33', () => {
    const annotated = deployment('labels: {app: web}\nannotations: {sidecar.istio.io/nativeSidecar: "false"}') + enabled;
    expect(sidecars(annotated).intercepting).toMatchObject({ native: false, nativeBy: 'annotation sidecar.istio.io/nativeSidecar: "false"' });
    expect(sidecars(deployment('labels: {app: web}') + enabled, '1.32').intercepting?.native).toBe(false);
    const current = sidecars(deployment('labels: {app: web}') + enabled, '1.34').intercepting!;
    expect(current.native).toBe(true);
    expect(current.assumptions.join('\n')).toMatch(/Istio is 1.27 or later/);
  });

  it('Linkerd: the GA key wins over the deprecated beta and alpha keys; unannotated is assumed classic (before 2.20)', () => {
    const both = deployment(
      'labels: {app: web}\nannotations: {linkerd.io/inject: enabled, config.beta.linkerd.io/proxy-enable-native-sidecar: "true", config.linkerd.io/proxy-enable-native-sidecar: "false"}',
    );
    expect(sidecars(both).intercepting).toMatchObject({
      mesh: 'linkerd',
      native: false,
      nativeBy: 'annotation config.linkerd.io/proxy-enable-native-sidecar: "false"',
    });
    const beta = deployment('labels: {app: web}\nannotations: {linkerd.io/inject: enabled, config.beta.linkerd.io/proxy-enable-native-sidecar: "true"}');
    expect(sidecars(beta).intercepting?.native).toBe(true);
    const plain = sidecars(deployment('labels: {app: web}\nannotations: {linkerd.io/inject: enabled}')).intercepting!;
    expect(plain.native).toBe(false);
    expect(plain.assumptions.join('\n')).toMatch(/older than 2.20/);
  });
});

describe('meshOf: Linkerd injection and settings, pod over Namespace', () => {
  it('the Namespace annotation injects and its config annotations are the defaults the pod overrides', () => {
    const ns = namespace(
      'annotations: {linkerd.io/inject: enabled, config.alpha.linkerd.io/proxy-wait-before-exit-seconds: "10", config.linkerd.io/shutdown-grace-period: 30s}',
    );
    const s = sidecars(deployment('labels: {app: web}\nannotations: {config.alpha.linkerd.io/proxy-wait-before-exit-seconds: "20"}') + ns)
      .intercepting as LinkerdSidecar;
    expect(s).toMatchObject({
      injectedBy: 'Namespace shop annotation linkerd.io/inject: enabled',
      waitBeforeExitSeconds: 20,
      shutdownGraceSeconds: 30,
      await: true,
    });
  });

  it('a pod opting out of an injected Namespace, and a Namespace label (not annotation) that injects nothing', () => {
    expect(
      sidecars(deployment('labels: {app: web}\nannotations: {linkerd.io/inject: disabled}') + namespace('annotations: {linkerd.io/inject: enabled}')).all,
    ).toEqual([]);
    expect(sidecars(deployment('labels: {app: web}') + namespace('labels: {linkerd.io/inject: enabled}')).all).toEqual([]);
  });

  it('defaults: no wait before exit, a 120 s shutdown grace, proxy-await on; disabled await is read', () => {
    const s = sidecars(deployment('labels: {app: web}\nannotations: {linkerd.io/inject: enabled, config.linkerd.io/proxy-await: disabled}')).intercepting;
    expect(s).toMatchObject({ waitBeforeExitSeconds: 0, shutdownGraceSeconds: 120, await: false });
  });
});

describe('meshSidecarsOf: Consul and Dapr', () => {
  it('Consul: connect-inject "true" injects consul-dataplane; lifecycle and its 30 s grace are the Helm chart defaults, named as assumptions', () => {
    const s = sidecars(deployment('labels: {app: web}\nannotations: {consul.hashicorp.com/connect-inject: "true"}')).intercepting!;
    expect(s).toMatchObject({ mesh: 'consul', proxy: 'consul-dataplane', native: false, lifecycle: true, shutdownGraceSeconds: 30 });
    expect(s.assumptions).toHaveLength(2);
    const off = sidecars(
      deployment(
        'labels: {app: web}\nannotations: {consul.hashicorp.com/connect-inject: "true", consul.hashicorp.com/enable-sidecar-proxy-lifecycle: "false", consul.hashicorp.com/sidecar-proxy-lifecycle-shutdown-grace-period-seconds: "0"}',
      ),
    ).intercepting;
    expect(off).toMatchObject({ lifecycle: false, shutdownGraceSeconds: 0, assumptions: [] });
  });

  it('Dapr: daprd is added beside the app but does not intercept its traffic; app-port and shutdown settings are read', () => {
    const meta =
      'labels: {app: web}\nannotations: {dapr.io/enabled: "true", dapr.io/app-id: adder, dapr.io/app-port: "6000", dapr.io/block-shutdown-duration: 20s}';
    const { all, intercepting } = sidecars(deployment(meta));
    expect(intercepting).toBeUndefined();
    expect(all).toMatchObject([
      { mesh: 'dapr', proxy: 'daprd', native: false, appId: 'adder', appPort: 6000, blockShutdownSeconds: 20, gracefulShutdownSeconds: 5 },
    ]);
  });

  it('Dapr beside Linkerd: both, the intercepting mesh first', () => {
    const meta = 'labels: {app: web}\nannotations: {dapr.io/enabled: "true", linkerd.io/inject: enabled}';
    expect(sidecars(deployment(meta)).all.map((s) => s.mesh)).toEqual(['linkerd', 'dapr']);
  });
});

describe('meshSidecarsOf: rendered pods and control planes', () => {
  it('a pod that already carries istio-proxy is recognised as rendered, classic or native as written', () => {
    const classic = deployment(
      'labels: {app: web}\nannotations: {sidecar.istio.io/status: "{}"}',
      'containers: [{name: app, image: x}, {name: istio-proxy, image: docker.io/istio/proxyv2:1.22.0}]',
    );
    expect(sidecars(classic).intercepting).toMatchObject({ rendered: true, native: false, injectedBy: 'the istio-proxy container in the pod spec' });
    const native = deployment(
      'labels: {app: web}',
      'initContainers: [{name: linkerd-proxy, image: cr.l5d.io/linkerd/proxy:edge, restartPolicy: Always}]\n      containers: [{name: app, image: x}]',
    );
    expect(sidecars(native).intercepting).toMatchObject({ mesh: 'linkerd', rendered: true, native: true });
  });

  it('mesh control planes and gateways are not meshed apps', () => {
    const istiod = deployment(
      'labels: {app: istiod, istio: pilot, sidecar.istio.io/inject: "false"}',
      'containers: [{name: discovery, image: docker.io/istio/pilot:1.24.0}]',
    );
    expect(sidecars(istiod).all).toEqual([]);
    const gateway = deployment(
      'labels: {app: istio-ingressgateway, istio: ingressgateway, sidecar.istio.io/inject: "true"}\nannotations: {inject.istio.io/templates: gateway}',
    );
    expect(sidecars(gateway).all).toEqual([]);
    const injector = deployment('labels: {app: sidecarInjectorWebhook, istio: sidecar-injector}') + namespace('labels: {istio-injection: enabled}');
    expect(sidecars(injector).all).toEqual([]);
    const destination = deployment(
      'labels: {linkerd.io/control-plane-component: destination}\nannotations: {linkerd.io/inject: enabled}',
      'containers: [{name: destination, image: cr.l5d.io/linkerd/controller:edge-26.8.1}, {name: linkerd-proxy, image: cr.l5d.io/linkerd/proxy:edge-26.8.1}]',
    );
    expect(sidecars(destination).all).toEqual([]);
  });

  it('no injector touches kube-system', () => {
    const text = deployment('labels: {app: web, sidecar.istio.io/inject: "true"}\nannotations: {linkerd.io/inject: enabled}').replace(
      'namespace: shop',
      'namespace: kube-system',
    );
    expect(sidecars(text).all).toEqual([]);
  });
});
