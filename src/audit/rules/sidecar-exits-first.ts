import { imageRoleOf } from '../../k8s/containerRoles.js';
import { featureAvailable } from '../../k8s/features.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import { classifyPreStop } from '../../k8s/preStop.js';
import type { ContainerView, WorkloadView } from '../types.js';
import { isSidecarProxy } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { preStopOf, seconds } from './support/drain.js';
import { records, strings } from './support/fields.js';
import { perContainer } from './support/perContainer.js';

/**
 * The apps a sidecar proxy serves: the serving containers that are not proxies themselves (in a
 * pod without serving traffic, every regular container that is not a known proxy).
 */
function appsOf(w: WorkloadView): ContainerView[] {
  const candidates = w.serving ? w.servers : w.containers.filter((c) => c.role === 'main');
  return candidates.filter((c) => !isSidecarProxy(c));
}

/**
 * Regular containers running a known proxy beside an app. A proxy that listens for the
 * workload's own traffic (Envoy in a gateway pod, beside its shutdown manager) is the server,
 * not a sidecar, so it is never one of these.
 */
function proxiesBesideAnApp(w: WorkloadView): ContainerView[] {
  if (appsOf(w).length === 0) return [];
  return w.containers.filter((c) => c.role === 'main' && isSidecarProxy(c) && !w.servers.includes(c));
}

/**
 * The kubelet stops all regular containers in parallel (docs/reference/pod-termination.md#containers-stop-in-parallel): a proxy sidecar without a
 * preStop gets SIGTERM at t≈0 and exits (docs/reference/signals.md#envoy-and-istio, cloud-sql-proxy) while the app is
 * still serving its last requests through it. Native sidecars (docs/reference/feature-versions.md#native-sidecars) are stopped only after every
 * main container has exited.
 */
export const sidecarExitsFirst = defineRule({
  target: 'workload',
  meta: {
    id: 'sidecar-exits-first',
    ruleOfUptime: 7,
    // An error, not a warning: the rule only fires for a known proxy with no drain setting and a
    // preStop shorter than the app's drain, and the lab's sidecar-race scenario drops requests in
    // exactly that configuration (test/lab/agreement.test.ts).
    severity: 'error',
    looksAt: 'meshes',
    summary: 'a proxy sidecar runs as a regular container and exits before the app has drained',
    messages: {
      exitsBeforeApp:
        '"{{container}}" ({{proxy}}) is a regular container: the kubelet stops all containers in parallel (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination), so it gets SIGTERM at {{proxyStops}} and exits ' +
        "while {{apps}} still needs it until about {{appDone}} (preStop + {{drain}} drain): the app's last requests lose their connections",
    },
    fixes: {
      nativeSidecar:
        'make it a native sidecar (move it to initContainers with restartPolicy: Always, https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/): it is stopped only after the app has exited; or configure {{drainSetting}}',
      drainSetting: 'configure {{drainSetting}}, or give it a preStop that outlasts the app (sleep {{appDoneSeconds}})',
    },
  },
  check: perContainer(proxiesBesideAnApp, (c, w, settings) => {
    const role = imageRoleOf(c.container);
    if (role?.kind !== 'proxy') return undefined;
    const proxy = role.proxy;
    const apps = appsOf(w);
    const annotations = Object.entries(w.template.metadata?.annotations ?? {}).map(([k, v]) => `${k}=${v}`);
    // The app needs the proxy until its own preStop and drain are over.
    const appDone = Math.max(...apps.map((a) => (preStopDelaySeconds(preStopOf(a)) ?? 0) + w.drainSeconds));
    const env = records<{ name?: unknown; value?: unknown }>(c.container.env).map((e) => `${String(e.name)}=${String(e.value ?? '')}`);
    const haystack = [...strings(c.container.command), ...strings(c.container.args), ...env, ...annotations].join(' ');
    if (proxy.configuredBy.some((r) => r.test(haystack))) return undefined;
    const handler = preStopOf(c);
    // A hook we cannot time (a wait loop, an HTTP call) is assumed to be synchronised on purpose.
    if (handler && classifyPreStop(handler).kind === 'opaque') return undefined;
    const proxyStops = preStopDelaySeconds(handler) ?? 0;
    if (proxyStops >= appDone) return undefined;
    return {
      path: c.path,
      messageId: 'exitsBeforeApp',
      data: {
        container: c.name,
        proxy: proxy.proxy,
        proxyStops: seconds(proxyStops),
        apps: apps.map((a) => `"${a.name}"`).join(', '),
        appDone: seconds(appDone),
        drain: seconds(w.drainSeconds),
        drainSetting: proxy.drainSetting,
        appDoneSeconds: Math.ceil(appDone),
      },
      fixId: featureAvailable('nativeSidecars', settings.kubernetesVersion) ? 'nativeSidecar' : 'drainSetting',
    };
  }),
});

export default sidecarExitsFirst;
