import { parse, stringify } from 'yaml';
import { featureAvailable } from '../../k8s/features.js';
import { WORKLOAD_KINDS } from '../../k8s/objects.js';
import type { MeshSidecar } from '../../k8s/mesh.js';
import { workloadOf } from './support/crossObjects.js';
import { defineRule } from './support/defineRule.js';
import { annotationsPatch, capitalised, injectedSidecars, meshSettingPath } from './support/mesh.js';

const PROXY_CONFIG = 'proxy.istio.io/config';
const AWAIT = 'config.linkerd.io/proxy-await';

/** The pod's proxy.istio.io/config with holdApplicationUntilProxyStarts set (its other keys kept). */
function proxyConfigWithHold(current: string | undefined): string {
  const parsed = current !== undefined ? parse(current) : undefined;
  const config = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return stringify({ ...config, holdApplicationUntilProxyStarts: true });
}

/** Where the hold setting comes from, for the message: the default, and whether the mesh ConfigMap was seen. */
function holdFrom(assumptions: readonly string[]): string {
  const a = assumptions.find((x) => x.includes('holdApplicationUntilProxyStarts'));
  if (!a) return '';
  return a.includes('not in the input') ? ' (the default; the mesh ConfigMap is not in the input)' : ' (the default)';
}

/** Whether the sidecar lets the app start before the proxy is ready, for the meshes whose injector can prevent it. */
function racesAtStartup(s: MeshSidecar): boolean {
  if (s.native) return false;
  if (s.mesh === 'istio') return !s.holdApplicationUntilProxyStarts && !s.proxyConfigError;
  if (s.mesh === 'linkerd') return !s.await;
  return false;
}

/**
 * A classic sidecar starts beside the app, not before it: until the proxy is ready the app's
 * outbound calls fail, so a new pod of a rollout can crash or stay unready and the rollout runs
 * with less capacity (docs/reference/traffic-paths.md#mesh-startup-race). Istio holds the app back
 * only with holdApplicationUntilProxyStarts (off by default); Linkerd does by default
 * (proxy-await) unless it is disabled; native sidecars start before the app by design. Consul's
 * graceful startup needs the app to call consul-dataplane's endpoint itself, so it is not judged.
 */
export const meshStartupRace = defineRule({
  target: 'object',
  kinds: WORKLOAD_KINDS,
  meta: {
    id: 'mesh-startup-race',
    ruleOfUptime: 7,
    severity: 'info',
    looksAt: 'meshes',
    summary: 'a classic mesh sidecar lets the app start before the proxy is ready, so new pods fail their first outbound calls',
    fixable: true,
    messages: {
      istioNoHold:
        '{{injectedBy}} gives the pods a classic istio-proxy ({{nativeBy}}) and holdApplicationUntilProxyStarts is off{{holdFrom}}: the app starts before Envoy is ready, ' +
        'so its first outbound calls in every new pod fail and a rollout can stall on pods that crash or stay unready',
      linkerdAwaitDisabled:
        '{{injectedBy}} gives the pods a classic linkerd-proxy ({{nativeBy}}) and {{awaitKey}}: disabled lets the app start before the proxy is ready, ' +
        'so its first outbound calls in every new pod fail and a rollout can stall on pods that crash or stay unready',
    },
    fixes: {
      holdApplication: "set holdApplicationUntilProxyStarts: true in the pod template's proxy.istio.io/config annotation{{nativeAlternative}}",
      awaitProxy: 'annotate the pod template {{awaitKey}}: enabled (the default)',
    },
  },
  check(view, settings, { objects, workloads }) {
    const w = workloadOf(workloads, view);
    if (!w) return [];
    const s = injectedSidecars(w, objects, settings).find((x) => x.intercepts && racesAtStartup(x));
    if (!s) return [];
    const injectedBy = capitalised(s.injectedBy);
    if (s.mesh === 'istio') {
      const current = w.template.metadata?.annotations?.[PROXY_CONFIG];
      return [
        {
          path: meshSettingPath(w, [
            { in: 'annotations', key: PROXY_CONFIG },
            { in: 'labels', key: 'sidecar.istio.io/inject' },
          ]),
          messageId: 'istioNoHold',
          data: {
            injectedBy,
            nativeBy: s.nativeBy,
            holdFrom: holdFrom(s.assumptions),
            nativeAlternative: featureAvailable('nativeSidecars', settings.kubernetesVersion)
              ? ', or annotate it sidecar.istio.io/nativeSidecar: "true" (Istio 1.24+), which starts the proxy first'
              : '',
          },
          fixId: 'holdApplication',
          patch: annotationsPatch(w, { [PROXY_CONFIG]: proxyConfigWithHold(current) }),
        },
      ];
    }
    return [
      {
        path: meshSettingPath(w, [{ in: 'annotations', key: AWAIT }]),
        messageId: 'linkerdAwaitDisabled',
        data: { injectedBy, nativeBy: s.nativeBy, awaitKey: AWAIT },
        fixId: 'awaitProxy',
        patch: annotationsPatch(w, { [AWAIT]: 'enabled' }),
      },
    ];
  },
});

export default meshStartupRace;
