/**
 * Which service mesh or sidecar runtime puts a proxy beside a pod's containers, decided from the
 * pod template's labels and annotations and its Namespace when the input has it, and what that
 * proxy does when the pod stops (docs/reference/traffic-paths.md#service-meshes).
 *
 * Result shape, for the traffic-path model and the mesh rules:
 *
 *   meshSidecarsOf(pod, namespace, context): MeshSidecar[]   every proxy an injector adds (or the input already shows)
 *   meshOf(pod, namespace, context): MeshSidecar | undefined the one that intercepts the pod's traffic (Istio, Linkerd, Consul)
 *
 *   MeshSidecar = { mesh, proxy, intercepts, rendered, injectedBy, native, nativeBy, assumptions, …the mesh's own settings }
 *
 * `assumptions` name every fact the input does not show (a Namespace label, a control-plane
 * default) together with the label or annotation that would settle it. Control-plane pods
 * (istiod, gateways, linkerd-destination, the Dapr and Consul control planes) are never meshed
 * apps: `meshSidecarsOf` returns none for them.
 */
import { goDurationSeconds } from './goDuration.js';
import type { KubernetesVersion } from './features.js';
import type { Container, KubeObject, PodSpec } from './objects.js';

export type MeshName = 'istio' | 'linkerd' | 'consul' | 'dapr';

/** The pod as the injector sees it: its template's labels, annotations and (for rendered pods) spec. */
export interface MeshPod {
  /** The pod's namespace name: no injector touches kube-system or kube-public. */
  namespace?: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  spec?: PodSpec;
}

export interface MeshContext {
  /** The target Kubernetes version: Istio's native-sidecar default follows the kubelet's. */
  kubernetesVersion: KubernetesVersion;
  /** `proxy.istio.io/config` is YAML; the caller brings the parser (src/k8s depends on no package). */
  parseYaml: (text: string) => unknown;
  /** The mesh-wide ProxyConfig defaults, when the input has them (`istioMeshDefaults`). */
  istioMeshDefaults?: IstioMeshDefaults;
}

/** meshConfig.defaultConfig as the input shows it: the `istio` ConfigMap's `mesh` key, or an IstioOperator. */
export interface IstioMeshDefaults {
  /** `ConfigMap istio-system/istio`, `IstioOperator istio-system/control-plane`. */
  source: string;
  defaultConfig: Record<string, unknown>;
}

/**
 * The mesh-wide ProxyConfig defaults in the input: the `istio` ConfigMap (`data.mesh`, a YAML
 * MeshConfig, https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/) or an
 * IstioOperator's `spec.meshConfig`. Revisioned ConfigMaps (`istio-<rev>`) count too.
 */
export function istioMeshDefaultsOf(objects: readonly KubeObject[], parseYaml: MeshContext['parseYaml']): IstioMeshDefaults | undefined {
  for (const o of objects) {
    const name = String(o.metadata?.name ?? '');
    const where = `${o.metadata?.namespace ?? 'istio-system'}/${name}`;
    if (o.kind === 'ConfigMap' && /^istio(-[a-z0-9-]+)?$/.test(name) && !name.startsWith('istio-sidecar-injector')) {
      const data = isRecord(o.data) ? o.data : {};
      if (typeof data.mesh !== 'string') continue;
      let mesh: unknown;
      try {
        mesh = parseYaml(data.mesh);
      } catch {
        continue;
      }
      if (isRecord(mesh) && isRecord(mesh.defaultConfig)) return { source: `ConfigMap ${where}`, defaultConfig: mesh.defaultConfig };
    }
    if (o.kind === 'IstioOperator') {
      const meshConfig = isRecord(o.spec) && isRecord(o.spec.meshConfig) ? o.spec.meshConfig : undefined;
      if (meshConfig && isRecord(meshConfig.defaultConfig)) return { source: `IstioOperator ${where}`, defaultConfig: meshConfig.defaultConfig };
    }
  }
  return undefined;
}

interface SidecarBase {
  mesh: MeshName;
  /** The container the injector adds. */
  proxy: string;
  /** Whether the proxy captures the pod's inbound traffic (a Service request reaches the app through it). */
  intercepts: boolean;
  /** The proxy container is already in the pod spec (`istioctl kube-inject`, `linkerd inject`, a dumped pod). */
  rendered: boolean;
  /** What decides injection, for messages: `label sidecar.istio.io/inject: "true"`. */
  injectedBy: string;
  /** Native sidecar (an init container with restartPolicy Always, stopped after the app) or a regular container. */
  native: boolean;
  /** What decides `native`, for messages. */
  nativeBy: string;
  /** Facts not in the input, each with what would settle it. */
  assumptions: string[];
}

export interface IstioSidecar extends SidecarBase {
  mesh: 'istio';
  /** How long istio-agent lets Envoy drain after SIGTERM before it kills it. */
  terminationDrainSeconds: number;
  /** `proxy.istio.io/config` or the mesh-wide source when one sets terminationDrainDuration, else undefined (the default). */
  terminationDrainSetBy: string | undefined;
  /** proxyMetadata EXIT_ON_ZERO_ACTIVE_CONNECTIONS: the agent exits when connections reach zero instead. */
  exitOnZeroActiveConnections: boolean;
  /** The app's containers start only once Envoy is ready. */
  holdApplicationUntilProxyStarts: boolean;
  /** `proxy.istio.io/config` that does not parse as a YAML mapping: Istio rejects it, so nothing above comes from it. */
  proxyConfigError?: string;
}

export interface LinkerdSidecar extends SidecarBase {
  mesh: 'linkerd';
  /** `config.alpha.linkerd.io/proxy-wait-before-exit-seconds`: a preStop sleep on the proxy (regular container only). */
  waitBeforeExitSeconds: number;
  /** `config.linkerd.io/shutdown-grace-period`: how long the proxy lets open connections finish once it stops. */
  shutdownGraceSeconds: number;
  /** `config.linkerd.io/proxy-await`: the app starts only once the proxy is ready. */
  await: boolean;
}

export interface ConsulSidecar extends SidecarBase {
  mesh: 'consul';
  /** Proxy lifecycle management: consul-dataplane keeps proxying for `shutdownGraceSeconds` after SIGTERM. */
  lifecycle: boolean;
  shutdownGraceSeconds: number;
  /** Seconds the app waits for the proxy at startup (0: it does not wait). */
  startupGraceSeconds: number;
}

export interface DaprSidecar extends SidecarBase {
  mesh: 'dapr';
  /** `dapr.io/app-id`, else the workload's name. */
  appId: string | undefined;
  /** `dapr.io/app-port`: daprd delivers service invocations, pub/sub and bindings to the app on it. */
  appPort: number | undefined;
  /** `dapr.io/block-shutdown-duration`: daprd keeps serving this long after SIGTERM (or until the app turns unhealthy). */
  blockShutdownSeconds: number | undefined;
  /** `dapr.io/graceful-shutdown-seconds`: how long in-flight requests get once daprd shuts down. */
  gracefulShutdownSeconds: number;
}

export type MeshSidecar = IstioSidecar | LinkerdSidecar | ConsulSidecar | DaprSidecar;

/** One row per default a mesh applies when nothing in the input sets it. */
export interface MeshDefault {
  mesh: MeshName;
  setting: string;
  value: string;
  sources: readonly string[];
}

export const MESH_DEFAULTS = {
  istioTerminationDrain: {
    mesh: 'istio',
    setting: 'ProxyConfig terminationDrainDuration',
    value: '5 s',
    sources: ['https://github.com/istio/api/blob/master/mesh/v1alpha1/proxy.proto'],
  },
  istioHoldApplication: {
    mesh: 'istio',
    setting: 'ProxyConfig holdApplicationUntilProxyStarts',
    value: 'false',
    sources: ['https://github.com/istio/api/blob/master/mesh/v1alpha1/proxy.proto'],
  },
  istioNativeSidecar: {
    mesh: 'istio',
    setting: 'ENABLE_NATIVE_SIDECARS (istiod), overridden per pod by sidecar.istio.io/nativeSidecar',
    value: 'Istio ≥ 1.27: native on nodes whose kubelet is ≥ 1.33 ("auto"); Istio ≤ 1.26: regular container',
    sources: [
      'https://github.com/istio/istio/blob/master/pkg/kube/inject/webhook.go (DetectNativeSidecar)',
      'https://github.com/istio/istio/pull/56428',
      'https://github.com/istio/api/blob/master/annotation/annotations.yaml',
    ],
  },
  linkerdShutdownGrace: {
    mesh: 'linkerd',
    setting: 'config.linkerd.io/shutdown-grace-period',
    value: '120 s',
    sources: ['https://linkerd.io/2-edge/tasks/graceful-shutdown/'],
  },
  linkerdAwait: {
    mesh: 'linkerd',
    setting: 'config.linkerd.io/proxy-await (Helm proxy.await)',
    value: 'enabled',
    sources: ['https://github.com/linkerd/linkerd2/blob/main/charts/linkerd-control-plane/values.yaml'],
  },
  linkerdNativeSidecar: {
    mesh: 'linkerd',
    setting: 'Helm proxy.nativeSidecar, overridden by config.linkerd.io/proxy-enable-native-sidecar',
    value: 'Linkerd ≥ 2.20 (June 2026): native; earlier releases: regular container (assumed, since 2.20 is recent)',
    sources: ['https://github.com/linkerd/linkerd2/pull/15267', 'https://linkerd.io/2-edge/features/native-sidecars/'],
  },
  consulLifecycle: {
    mesh: 'consul',
    setting: 'Helm connectInject.sidecarProxy.lifecycle (defaultEnabled, defaultShutdownGracePeriodSeconds)',
    value: 'enabled, 30 s (the injector binary alone defaults to off and 0 s)',
    sources: [
      'https://github.com/hashicorp/consul-k8s/blob/main/charts/consul/values.yaml',
      'https://github.com/hashicorp/consul-k8s/blob/main/control-plane/subcommand/inject-connect/command.go',
    ],
  },
  consulNativeSidecar: {
    mesh: 'consul',
    setting: 'Helm connectInject.dataplaneAsSidecarInitContainer.defaultEnabled, overridden by consul.hashicorp.com/enable-consul-dataplane-as-sidecar',
    value: 'false: regular container',
    sources: ['https://github.com/hashicorp/consul-k8s/blob/main/charts/consul/values.yaml'],
  },
  daprGracefulShutdown: {
    mesh: 'dapr',
    setting: 'dapr.io/graceful-shutdown-seconds',
    value: '5 s; dapr.io/block-shutdown-duration unset (daprd starts shutting down on SIGTERM)',
    sources: ['https://docs.dapr.io/reference/arguments-annotations-overview/', 'https://docs.dapr.io/reference/api/shutdown_api/'],
  },
  daprNativeSidecar: {
    mesh: 'dapr',
    setting: 'dapr.io/enable-native-sidecar (Dapr ≥ 1.18), injector NATIVE_SIDECAR_ENABLED',
    value: 'false: regular container',
    sources: ['https://github.com/dapr/dapr/pull/9450', 'https://github.com/dapr/dapr/blob/master/charts/dapr/charts/dapr_sidecar_injector/values.yaml'],
  },
} as const satisfies Record<string, MeshDefault>;

const ISTIO_TERMINATION_DRAIN_SECONDS = 5;
const ISTIO_NATIVE_KUBELET_MINOR = 33;
const LINKERD_SHUTDOWN_GRACE_SECONDS = 120;
const CONSUL_HELM_SHUTDOWN_GRACE_SECONDS = 30;
const DAPR_GRACEFUL_SHUTDOWN_SECONDS = 5;

/** Go's strconv.ParseBool, which Linkerd, Consul and Istio's injectors use. */
function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const nsLabels = (ns: KubeObject | undefined) => ns?.metadata?.labels ?? {};
const nsAnnotations = (ns: KubeObject | undefined) => ns?.metadata?.annotations ?? {};
const nsName = (ns: KubeObject | undefined) => String(ns?.metadata?.name ?? '');

function containersOf(spec: PodSpec | undefined): Container[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((c): c is Container => isRecord(c)) : []);
  return [...list(spec?.containers), ...list(spec?.initContainers)];
}

/** The proxy container when the pod spec already has it, and whether it runs as a native sidecar. */
function renderedProxy(spec: PodSpec | undefined, name: string): { native: boolean } | undefined {
  const inInit = (Array.isArray(spec?.initContainers) ? spec.initContainers : []).find((c) => isRecord(c) && c.name === name);
  if (inInit) return { native: inInit.restartPolicy === 'Always' };
  const inMain = (Array.isArray(spec?.containers) ? spec.containers : []).find((c) => isRecord(c) && c.name === name);
  return inMain ? { native: false } : undefined;
}

/** `istio: <component>` labels of Istio's own control plane and gateways, current and pre-istiod releases. */
const ISTIO_COMPONENTS: readonly string[] = [
  'pilot',
  'istiod',
  'ingressgateway',
  'egressgateway',
  'eastwestgateway',
  'sidecar-injector',
  'citadel',
  'galley',
  'mixer',
  'policy',
  'telemetry',
];

/** How a proxy written in the pod spec runs, for messages. */
function renderedNativeBy(proxy: string, native: boolean): string {
  return native ? `${proxy} is an init container with restartPolicy Always` : `${proxy} is a regular container`;
}

/**
 * Pods of a mesh's own control plane or gateways: their proxy (if any) is the server, not a
 * sidecar, and the mesh rules do not judge them as meshed apps.
 */
export function isMeshControlPlane(pod: MeshPod): boolean {
  const l = pod.labels;
  const a = pod.annotations;
  if (l['linkerd.io/control-plane-component'] !== undefined) return true;
  if (l.app === 'istiod' || ISTIO_COMPONENTS.includes(l.istio ?? '')) return true;
  if (l['gateway.istio.io/managed'] !== undefined || (a['inject.istio.io/templates'] ?? '').split(',').includes('gateway')) return true;
  if (l['app.kubernetes.io/part-of'] === 'dapr' || /^dapr-(operator|placement|sentry|sidecar-injector|scheduler)/.test(l.app ?? '')) return true;
  if (l.app === 'consul' && l.component !== undefined) return true;
  const images = containersOf(pod.spec).map((c) => String(c.image ?? ''));
  return images.some((i) => /(^|\/)(pilot|istiod)(:|@|$)/.test(i) || /linkerd\/controller(:|@|$)/.test(i));
}

/** Pods Istio never injects: host networking, and the ambient data plane (no sidecar at all). */
function istioSkips(pod: MeshPod, namespace: KubeObject | undefined): boolean {
  if (pod.spec?.hostNetwork === true) return true;
  const mode = pod.labels['istio.io/dataplane-mode'] ?? nsLabels(namespace)['istio.io/dataplane-mode'];
  return mode === 'ambient';
}

/** Istio's decision (its sidecar-injector webhook selectors and injectRequired). */
function istioInjection(pod: MeshPod, namespace: KubeObject | undefined): { by: string; assumptions: string[] } | undefined {
  if (istioSkips(pod, namespace)) return undefined;
  const label = pod.labels['sidecar.istio.io/inject'];
  const annotation = pod.annotations['sidecar.istio.io/inject'];
  // The label wins over the deprecated annotation when both are set.
  const podChoice = label ?? annotation;
  if (podChoice === 'false') return undefined;
  const ns = nsLabels(namespace);
  if (namespace) {
    if (ns['istio-injection'] === 'disabled') return undefined;
    if (ns['istio-injection'] === 'enabled') return { by: `Namespace ${nsName(namespace)} label istio-injection=enabled`, assumptions: [] };
    if (ns['istio.io/rev'] !== undefined) return { by: `Namespace ${nsName(namespace)} label istio.io/rev=${ns['istio.io/rev']}`, assumptions: [] };
  }
  const revLabel = pod.labels['istio.io/rev'];
  const unseen = namespace ? [] : ['its Namespace (not in the input) does not set istio-injection=disabled'];
  if (label === 'true') return { by: 'pod label sidecar.istio.io/inject: "true"', assumptions: unseen };
  if (revLabel !== undefined) return { by: `pod label istio.io/rev: ${revLabel}`, assumptions: unseen };
  if (annotation === 'true') {
    // The webhooks select pods by label; the annotation alone only counts inside an enabled namespace.
    if (namespace) return undefined;
    return {
      by: 'pod annotation sidecar.istio.io/inject: "true"',
      assumptions: ['its Namespace (not in the input) is labelled istio-injection=enabled or istio.io/rev (the annotation alone selects no webhook)'],
    };
  }
  return undefined;
}

/** `proxy.istio.io/config`, read as Istio does (a YAML ProxyConfig), with the mesh defaults below it. */
function istioProxyConfig(
  annotations: Readonly<Record<string, string>>,
  parseYaml: MeshContext['parseYaml'],
): { config: Record<string, unknown>; error?: string } {
  const text = annotations['proxy.istio.io/config'];
  if (text === undefined) return { config: {} };
  try {
    const parsed = parseYaml(text);
    if (parsed === null || parsed === undefined) return { config: {} };
    if (!isRecord(parsed)) return { config: {}, error: 'proxy.istio.io/config is not a YAML mapping' };
    return { config: parsed };
  } catch (err) {
    return { config: {}, error: `proxy.istio.io/config is not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` };
  }
}

const truthy = (v: unknown) => v === true || (typeof v === 'string' && parseBool(v) === true);

function istioSidecar(pod: MeshPod, namespace: KubeObject | undefined, ctx: MeshContext): IstioSidecar | undefined {
  const rendered = renderedProxy(pod.spec, 'istio-proxy');
  const decided = rendered ? { by: 'the istio-proxy container in the pod spec', assumptions: [] } : istioInjection(pod, namespace);
  if (!decided) return undefined;
  const assumptions = [...decided.assumptions];
  const { config: podConfig, error } = istioProxyConfig(pod.annotations, ctx.parseYaml);
  // The pod's annotation overrides the mesh-wide defaultConfig key by key (proxyMetadata merged).
  const meshDefaults = ctx.istioMeshDefaults;
  const meshConfig = meshDefaults?.defaultConfig ?? {};
  const config: Record<string, unknown> = { ...meshConfig, ...podConfig };
  const setBy = (key: string) => (key in podConfig ? 'proxy.istio.io/config' : key in meshConfig ? meshDefaults?.source : undefined);
  const drainText = typeof config.terminationDrainDuration === 'string' ? config.terminationDrainDuration : undefined;
  const drainSeconds = drainText !== undefined ? goDurationSeconds(drainText) : undefined;
  const unseenMesh = meshDefaults ? '' : "the mesh ConfigMap's defaultConfig is not in the input; ";
  if (drainSeconds === undefined)
    assumptions.push(
      `terminationDrainDuration is the default (${MESH_DEFAULTS.istioTerminationDrain.value}): ${unseenMesh}set it in the pod's proxy.istio.io/config to settle it`,
    );
  const metadata = {
    ...(isRecord(meshConfig.proxyMetadata) ? meshConfig.proxyMetadata : {}),
    ...(isRecord(podConfig.proxyMetadata) ? podConfig.proxyMetadata : {}),
  };
  const hold = config.holdApplicationUntilProxyStarts;
  if (hold === undefined) assumptions.push(`holdApplicationUntilProxyStarts is the default (false): ${unseenMesh}set it in proxy.istio.io/config to settle it`);
  const nativeAnnotation = pod.annotations['sidecar.istio.io/nativeSidecar'];
  let native: boolean;
  let nativeBy: string;
  if (rendered) {
    native = rendered.native;
    nativeBy = renderedNativeBy('istio-proxy', native);
  } else if (nativeAnnotation === 'true' || nativeAnnotation === 'false') {
    native = nativeAnnotation === 'true';
    nativeBy = `annotation sidecar.istio.io/nativeSidecar: "${nativeAnnotation}"`;
  } else if (ctx.kubernetesVersion.major === 1 && ctx.kubernetesVersion.minor < ISTIO_NATIVE_KUBELET_MINOR) {
    native = false;
    nativeBy = `Istio injects a native sidecar by default only on kubelets ≥ 1.${ISTIO_NATIVE_KUBELET_MINOR}; the target is ${ctx.kubernetesVersion.major}.${ctx.kubernetesVersion.minor}`;
    assumptions.push('istiod does not set ENABLE_NATIVE_SIDECARS=true: annotate sidecar.istio.io/nativeSidecar to settle it');
  } else {
    native = true;
    nativeBy = `Istio ≥ 1.27 injects a native sidecar on kubelets ≥ 1.${ISTIO_NATIVE_KUBELET_MINOR}`;
    assumptions.push('Istio is 1.27 or later and istiod does not set ENABLE_NATIVE_SIDECARS=false: annotate sidecar.istio.io/nativeSidecar to settle it');
  }
  return {
    mesh: 'istio',
    proxy: 'istio-proxy',
    intercepts: true,
    rendered: rendered !== undefined,
    injectedBy: decided.by,
    native,
    nativeBy,
    assumptions,
    terminationDrainSeconds: drainSeconds ?? ISTIO_TERMINATION_DRAIN_SECONDS,
    terminationDrainSetBy: drainSeconds !== undefined ? setBy('terminationDrainDuration') : undefined,
    exitOnZeroActiveConnections: truthy(metadata.EXIT_ON_ZERO_ACTIVE_CONNECTIONS),
    holdApplicationUntilProxyStarts: truthy(hold),
    ...(error ? { proxyConfigError: error } : {}),
  };
}

/** Linkerd's proxy-injector truth table: the pod's `linkerd.io/inject` over its Namespace's. */
function linkerdInjection(pod: MeshPod, namespace: KubeObject | undefined): { by: string; assumptions: string[] } | undefined {
  if (pod.spec?.hostNetwork === true || pod.spec?.automountServiceAccountToken === false) return undefined;
  const enables = (v: string | undefined) => v === 'enabled' || v === 'ingress';
  const podValue = pod.annotations['linkerd.io/inject'];
  const nsValue = nsAnnotations(namespace)['linkerd.io/inject'];
  if (podValue === 'disabled') return undefined;
  if (enables(podValue)) return { by: `pod annotation linkerd.io/inject: ${podValue}`, assumptions: [] };
  if (enables(nsValue)) return { by: `Namespace ${nsName(namespace)} annotation linkerd.io/inject: ${nsValue}`, assumptions: [] };
  return undefined;
}

function linkerdSidecar(pod: MeshPod, namespace: KubeObject | undefined): LinkerdSidecar | undefined {
  const rendered = renderedProxy(pod.spec, 'linkerd-proxy');
  const decided = rendered ? { by: 'the linkerd-proxy container in the pod spec', assumptions: [] } : linkerdInjection(pod, namespace);
  if (!decided) return undefined;
  // Namespace annotations are the defaults a workload's own annotations override.
  const a: Record<string, string> = { ...nsAnnotations(namespace), ...pod.annotations };
  const assumptions = [...decided.assumptions];
  let native: boolean;
  let nativeBy: string;
  const keys = [
    'config.linkerd.io/proxy-enable-native-sidecar',
    'config.beta.linkerd.io/proxy-enable-native-sidecar',
    'config.alpha.linkerd.io/proxy-enable-native-sidecar',
  ];
  const key = keys.find((k) => parseBool(a[k]) !== undefined);
  if (rendered) {
    native = rendered.native;
    nativeBy = renderedNativeBy('linkerd-proxy', native);
  } else if (key) {
    native = parseBool(a[key])!;
    nativeBy = `annotation ${key}: "${a[key]}"`;
  } else {
    native = false;
    nativeBy = 'Linkerd before 2.20 injects linkerd-proxy as a regular container';
    assumptions.push(
      'Linkerd is older than 2.20 or runs with proxy.nativeSidecar=false (2.20 injects a native sidecar): annotate config.linkerd.io/proxy-enable-native-sidecar to settle it',
    );
  }
  const wait = Number(a['config.alpha.linkerd.io/proxy-wait-before-exit-seconds']);
  const graceText = a['config.linkerd.io/shutdown-grace-period'];
  const grace = graceText !== undefined ? goDurationSeconds(graceText) : undefined;
  const awaitValue = a['config.linkerd.io/proxy-await'];
  return {
    mesh: 'linkerd',
    proxy: 'linkerd-proxy',
    intercepts: true,
    rendered: rendered !== undefined,
    injectedBy: decided.by,
    native,
    nativeBy,
    assumptions,
    waitBeforeExitSeconds: Number.isInteger(wait) && wait > 0 ? wait : 0,
    shutdownGraceSeconds: grace ?? LINKERD_SHUTDOWN_GRACE_SECONDS,
    await: awaitValue !== 'disabled',
  };
}

function consulSidecar(pod: MeshPod): ConsulSidecar | undefined {
  const rendered = renderedProxy(pod.spec, 'consul-dataplane');
  const a = pod.annotations;
  if (!rendered && parseBool(a['consul.hashicorp.com/connect-inject']) !== true) return undefined;
  const assumptions: string[] = [];
  const lifecycleAnnotation = parseBool(a['consul.hashicorp.com/enable-sidecar-proxy-lifecycle']);
  if (lifecycleAnnotation === undefined)
    assumptions.push(
      'proxy lifecycle management is on, as the Consul Helm chart sets it (connectInject.sidecarProxy.lifecycle.defaultEnabled): annotate consul.hashicorp.com/enable-sidecar-proxy-lifecycle to settle it',
    );
  const graceRaw = a['consul.hashicorp.com/sidecar-proxy-lifecycle-shutdown-grace-period-seconds'];
  const grace = graceRaw !== undefined && /^\d+$/.test(graceRaw) ? Number(graceRaw) : undefined;
  if (grace === undefined)
    assumptions.push(
      `the shutdown grace period is the Helm chart's ${CONSUL_HELM_SHUTDOWN_GRACE_SECONDS} s: annotate consul.hashicorp.com/sidecar-proxy-lifecycle-shutdown-grace-period-seconds to settle it`,
    );
  const startupRaw = a['consul.hashicorp.com/sidecar-proxy-lifecycle-startup-grace-period-seconds'];
  const nativeAnnotation = parseBool(a['consul.hashicorp.com/enable-consul-dataplane-as-sidecar']);
  const native = rendered ? rendered.native : (nativeAnnotation ?? false);
  return {
    mesh: 'consul',
    proxy: 'consul-dataplane',
    intercepts: true,
    rendered: rendered !== undefined,
    injectedBy: rendered
      ? 'the consul-dataplane container in the pod spec'
      : `pod annotation consul.hashicorp.com/connect-inject: "${a['consul.hashicorp.com/connect-inject']}"`,
    native,
    nativeBy: rendered
      ? renderedNativeBy('consul-dataplane', native)
      : nativeAnnotation !== undefined
        ? `annotation consul.hashicorp.com/enable-consul-dataplane-as-sidecar: "${a['consul.hashicorp.com/enable-consul-dataplane-as-sidecar']}"`
        : 'consul-k8s injects consul-dataplane as a regular container unless dataplaneAsSidecarInitContainer is enabled',
    assumptions,
    lifecycle: lifecycleAnnotation ?? true,
    shutdownGraceSeconds: grace ?? CONSUL_HELM_SHUTDOWN_GRACE_SECONDS,
    startupGraceSeconds: startupRaw !== undefined && /^\d+$/.test(startupRaw) ? Number(startupRaw) : 0,
  };
}

function daprSidecar(pod: MeshPod): DaprSidecar | undefined {
  const rendered = renderedProxy(pod.spec, 'daprd');
  const a = pod.annotations;
  // The injector compares dapr.io/enabled with "true" case-insensitively.
  if (!rendered && (a['dapr.io/enabled'] ?? '').toLowerCase() !== 'true') return undefined;
  const port = Number(a['dapr.io/app-port']);
  const blockText = a['dapr.io/block-shutdown-duration'];
  const block = blockText !== undefined ? goDurationSeconds(blockText) : undefined;
  const graceful = Number(a['dapr.io/graceful-shutdown-seconds']);
  const nativeAnnotation = parseBool(a['dapr.io/enable-native-sidecar']);
  const native = rendered ? rendered.native : (nativeAnnotation ?? false);
  return {
    mesh: 'dapr',
    proxy: 'daprd',
    intercepts: false,
    rendered: rendered !== undefined,
    injectedBy: rendered ? 'the daprd container in the pod spec' : `pod annotation dapr.io/enabled: "${a['dapr.io/enabled']}"`,
    native,
    nativeBy: rendered
      ? renderedNativeBy('daprd', native)
      : nativeAnnotation !== undefined
        ? `annotation dapr.io/enable-native-sidecar: "${a['dapr.io/enable-native-sidecar']}"`
        : 'the Dapr injector adds daprd as a regular container unless native sidecars are enabled',
    assumptions:
      nativeAnnotation === undefined && !rendered
        ? ['the Dapr sidecar injector runs with nativeSidecar off (its default): annotate dapr.io/enable-native-sidecar to settle it']
        : [],
    appId: a['dapr.io/app-id'],
    appPort: Number.isInteger(port) && port > 0 ? port : undefined,
    blockShutdownSeconds: block,
    gracefulShutdownSeconds: Number.isInteger(graceful) && graceful > 0 ? graceful : DAPR_GRACEFUL_SHUTDOWN_SECONDS,
  };
}

/** Namespaces every injector skips (Istio's injectRequired, consul-k8s shouldInject, Linkerd's webhook selector). */
const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public'];

/** Every mesh proxy the pod runs or will be given, intercepting meshes first. */
export function meshSidecarsOf(pod: MeshPod, namespace: KubeObject | undefined, ctx: MeshContext): MeshSidecar[] {
  if (isMeshControlPlane(pod) || SYSTEM_NAMESPACES.includes(pod.namespace ?? '')) return [];
  const found: Array<MeshSidecar | undefined> = [istioSidecar(pod, namespace, ctx), linkerdSidecar(pod, namespace), consulSidecar(pod), daprSidecar(pod)];
  return found.filter((s): s is MeshSidecar => s !== undefined);
}

/** The mesh whose proxy captures the pod's traffic, if any. */
export function meshOf(pod: MeshPod, namespace: KubeObject | undefined, ctx: MeshContext): MeshSidecar | undefined {
  return meshSidecarsOf(pod, namespace, ctx).find((s) => s.intercepts);
}
