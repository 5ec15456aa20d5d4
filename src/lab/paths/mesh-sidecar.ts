import path from 'node:path';
import { resolveProbe } from '../../k8s/probes.js';
import type { ContainerPlan } from '../pods/plan.js';
import { PACKAGE_ROOT } from '../scenarios/catalog.js';

/** Linkerd's annotations the lab acts on (https://linkerd.io/2/reference/proxy-configuration/). */
export const LINKERD_INJECT = 'linkerd.io/inject';
export const LINKERD_WAIT_BEFORE_EXIT = 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds';
/** The native-sidecar switch under its names across Linkerd releases, newest first (https://github.com/linkerd/linkerd2/pull/15267). */
const LINKERD_NATIVE_SIDECAR = [
  'config.linkerd.io/proxy-enable-native-sidecar',
  'config.beta.linkerd.io/proxy-enable-native-sidecar',
  'config.alpha.linkerd.io/proxy-enable-native-sidecar',
];
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
 * Whether Linkerd injects the pod, from its template's annotations and its Namespace's (the
 * Namespace only when it is in the input): `linkerd.io/inject: enabled` (or `ingress`) on either,
 * `disabled` on the pod wins; pods on the host network or without a service account token are
 * never injected. Config annotations on the pod win over the Namespace's. Without a
 * native-sidecar annotation the proxy is a classic sidecar, as before Linkerd 2.20.
 */
export function linkerdInjection(
  pod: Record<string, string> | undefined,
  namespace: Record<string, string> | undefined,
  spec: object = {},
): LinkerdInjection | undefined {
  const fields = spec as { hostNetwork?: unknown; automountServiceAccountToken?: unknown };
  if (fields.hostNetwork === true || fields.automountServiceAccountToken === false) return undefined;
  const own = pod?.[LINKERD_INJECT];
  const inherited = namespace?.[LINKERD_INJECT];
  const value = own ?? inherited;
  if (value !== 'enabled' && value !== 'ingress') return undefined;
  const read = (key: string): string | undefined => pod?.[key] ?? namespace?.[key];
  const wait = Number(read(LINKERD_WAIT_BEFORE_EXIT) ?? 0);
  const nativeKey = LINKERD_NATIVE_SIDECAR.find((k) => read(k) === 'true' || read(k) === 'false');
  return {
    waitBeforeExitSeconds: Number.isInteger(wait) && wait > 0 ? wait : 0,
    native: nativeKey !== undefined && read(nativeKey) === 'true',
    reason: `${LINKERD_INJECT}: ${value} on the ${own !== undefined ? 'pod template' : 'Namespace'}`,
  };
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
