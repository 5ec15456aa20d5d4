import path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../../k8s/features.js';
import { meshSidecarsOf } from '../../k8s/mesh.js';
import type { PodSpec } from '../../k8s/objects.js';
import { resolveProbe } from '../../k8s/probes.js';
import type { ContainerPlan } from '../pods/plan.js';
import { PACKAGE_ROOT } from '../scenarios/catalog.js';

/** Linkerd's annotations the lab acts on (https://linkerd.io/2/reference/proxy-configuration/). */
export const LINKERD_WAIT_BEFORE_EXIT = 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds';
/** The proxy's inbound and admin ports in the pod (Linkerd's defaults). */
export const LINKERD_INBOUND_PORT = 4143;
export const LINKERD_ADMIN_PORT = 4191;

/** What Linkerd's proxy injector would add to a pod, as far as the pod's shutdown is concerned. */
export interface LinkerdInjection {
  /** `proxy-wait-before-exit-seconds`: a preStop sleep on the proxy; 0 when unset. */
  waitBeforeExitSeconds: number;
  /** Injected as a native sidecar (an init container with restartPolicy: Always), stopped after the app. */
  native: boolean;
  /** Where the decision came from, for the run's notes. */
  reason: string;
}

/**
 * Whether Linkerd injects the pod, decided as the audit decides it (src/k8s/mesh.ts): from its
 * template's annotations and labels and its Namespace's annotations (the Namespace only when it
 * is in the input). A proxy container already in the pod spec is not injected again.
 */
export function linkerdInjection(
  pod: Record<string, string> | undefined,
  namespace: Record<string, string> | undefined,
  spec: PodSpec = {},
  labels: Record<string, string> = {},
): LinkerdInjection | undefined {
  const namespaceObject = namespace ? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', annotations: namespace } } : undefined;
  const sidecar = meshSidecarsOf({ labels, annotations: pod ?? {}, spec }, namespaceObject, {
    kubernetesVersion: parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION),
    parseYaml: parse,
  }).find((s) => s.mesh === 'linkerd' && !s.rendered);
  if (sidecar?.mesh !== 'linkerd') return undefined;
  return { waitBeforeExitSeconds: sidecar.waitBeforeExitSeconds, native: sidecar.native, reason: sidecar.injectedBy };
}

/** The stand-in program (src/lab/images/linkerd-proxy.ts) as built; the source tree runs it from dist/ too. */
const STAND_IN = path.join(PACKAGE_ROOT, 'dist', 'lab', 'images', 'linkerd-proxy.js');

/**
 * The proxy container the lab injects, as the injector would: it receives the pod's inbound
 * traffic (PodPlan.inboundPort) and forwards it to `appPort`; with a wait-before-exit it has a
 * preStop sleep of that long. Its readiness probe is the proxy's `/ready`, checked every second
 * (scaled down like the bundled manifests' probes).
 */
export function linkerdProxyContainer(injection: LinkerdInjection, appPort: number): ContainerPlan {
  const plan: ContainerPlan = {
    name: 'linkerd-proxy',
    image: 'cr.l5d.io/linkerd/proxy',
    argv: [process.execPath, STAND_IN],
    env: {
      LINKERD2_PROXY_INBOUND_LISTEN_ADDR: `127.0.0.1:$(PORT_${LINKERD_INBOUND_PORT})`,
      LINKERD2_PROXY_ADMIN_LISTEN_ADDR: `127.0.0.1:$(PORT_${LINKERD_ADMIN_PORT})`,
      ZERODROP_MESH_APP_ADDR: `127.0.0.1:$(PORT_${appPort})`,
    },
    stopSignal: 'SIGTERM',
    ports: [
      { containerPort: LINKERD_INBOUND_PORT, name: 'linkerd-proxy' },
      { containerPort: LINKERD_ADMIN_PORT, name: 'linkerd-admin' },
    ],
    readiness: resolveProbe({ httpGet: { path: '/ready', port: LINKERD_ADMIN_PORT }, periodSeconds: 1 }),
  };
  if (injection.waitBeforeExitSeconds > 0) plan.preStop = { exec: { command: ['/bin/sleep', String(injection.waitBeforeExitSeconds)] } };
  return plan;
}

/** The run's note: what was injected and how it stops. */
export function linkerdNote(injection: LinkerdInjection): string {
  const stop = injection.native
    ? 'as a native sidecar it is stopped after the app'
    : injection.waitBeforeExitSeconds > 0
      ? `it refuses new requests ${injection.waitBeforeExitSeconds} s after the delete (${LINKERD_WAIT_BEFORE_EXIT})`
      : 'it refuses new requests as soon as the pod is deleted (no proxy-wait-before-exit-seconds)';
  return `Linkerd proxy injected (${injection.reason}), a stand-in that forwards the pod's inbound traffic; ${stop}`;
}
