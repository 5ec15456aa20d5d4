import { parse, stringify } from 'yaml';
import { featureAvailable } from '../../k8s/features.js';
import { WORKLOAD_KINDS } from '../../k8s/objects.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, seconds } from './support/drain.js';
import { annotationsPatch, appShutdown, assumedClause, capitalised, classicSidecarOf, graceFieldFor, meshSettingPath } from './support/mesh.js';
import { podSpecPatch } from './support/patches.js';

const PROXY_CONFIG = 'proxy.istio.io/config';

/** The pod's proxy.istio.io/config with terminationDrainDuration set, as YAML text (its other keys kept). */
function proxyConfigWithDrain(current: string | undefined, drainSeconds: number): string {
  let config: Record<string, unknown> = {};
  if (current !== undefined) {
    const parsed = parse(current);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) config = { ...(parsed as Record<string, unknown>) };
  }
  return stringify({ ...config, terminationDrainDuration: `${drainSeconds}s` });
}

/**
 * A classic Istio sidecar is a regular container: it gets SIGTERM with the app, and istio-agent
 * then drains Envoy for terminationDrainDuration (default 5 s) and kills it
 * (docs/reference/traffic-paths.md#istio-sidecars). An app that keeps serving through a preStop delay and
 * then drains outlives its proxy: the requests that reach it late and the calls it makes while
 * draining fail. Native sidecars stop only after the app has exited; EXIT_ON_ZERO_ACTIVE_CONNECTIONS
 * makes the agent wait for the connections to close instead. A proxy already written in the pod
 * spec is sidecar-exits-first's.
 */
export const istioDrainShorterThanApp = defineRule({
  target: 'object',
  kinds: WORKLOAD_KINDS,
  meta: {
    id: 'istio-drain-shorter-than-app',
    ruleOfUptime: 7,
    severity: 'warning',
    looksAt: 'meshes',
    summary: "a classic Istio sidecar's terminationDrainDuration ends before the app has drained, so Envoy is killed under it",
    fixable: true,
    messages: {
      drainEndsBeforeApp:
        '{{injectedBy}} gives the pods a classic istio-proxy ({{nativeBy}}): it gets SIGTERM with the app, and istio-agent kills Envoy after ' +
        'terminationDrainDuration {{drain}}{{drainFrom}}, while "{{app}}" needs it until about {{appDone}} (preStop {{preStop}} + {{appDrain}} drain): ' +
        'requests that reach the pod after {{drain}} and the calls the app makes while draining fail{{assumed}}',
      graceCutsDrain:
        'terminationDrainDuration {{drain}} ({{drainFrom}}) is longer than {{grace}}: the kubelet kills istio-proxy before its drain ends, ' +
        'cutting the connections it still carries',
    },
    fixes: {
      nativeSidecar:
        'annotate the pod template sidecar.istio.io/nativeSidecar: "true" (Istio 1.24+; istio-proxy then stops only after the app has exited), ' +
        'or set terminationDrainDuration: {{neededSeconds}}s in its proxy.istio.io/config annotation',
      drainDuration: "set terminationDrainDuration: {{neededSeconds}}s in the pod template's proxy.istio.io/config annotation (keep its other keys)",
      raiseGrace: 'raise terminationGracePeriodSeconds to at least {{neededSeconds}}, or shorten terminationDrainDuration',
    },
  },
  check(view, settings, all) {
    const found = classicSidecarOf(view, settings, all, 'istio');
    if (!found || found.sidecar.proxyConfigError) return [];
    const { w, sidecar: istio } = found;
    const results = [];
    const grace = graceOf(w);
    const shutdown = appShutdown(w);
    if (shutdown && !istio.exitOnZeroActiveConnections && shutdown.doneSeconds > istio.terminationDrainSeconds) {
      const needed = Math.ceil(shutdown.doneSeconds);
      const native = featureAvailable('nativeSidecars', settings.kubernetesVersion);
      const current = w.template.metadata?.annotations?.[PROXY_CONFIG];
      const patch = native
        ? annotationsPatch(w, { 'sidecar.istio.io/nativeSidecar': 'true' })
        : annotationsPatch(w, { [PROXY_CONFIG]: proxyConfigWithDrain(current, needed) }, graceFieldFor(w, needed));
      results.push({
        path: meshSettingPath(w, [
          { in: 'annotations', key: PROXY_CONFIG },
          { in: 'labels', key: 'sidecar.istio.io/inject' },
          { in: 'annotations', key: 'sidecar.istio.io/inject' },
        ]),
        messageId: 'drainEndsBeforeApp' as const,
        data: {
          injectedBy: capitalised(istio.injectedBy),
          nativeBy: istio.nativeBy,
          drain: seconds(istio.terminationDrainSeconds),
          drainFrom: istio.terminationDrainSetBy ? ` (${istio.terminationDrainSetBy})` : ' (the default)',
          app: shutdown.app.name,
          appDone: seconds(shutdown.doneSeconds),
          preStop: seconds(shutdown.preStopSeconds),
          appDrain: seconds(w.drainSeconds),
          assumed: assumedClause(istio.assumptions.filter((a) => !a.includes('holdApplicationUntilProxyStarts'))),
          neededSeconds: needed,
        },
        fixId: native ? ('nativeSidecar' as const) : ('drainDuration' as const),
        patch,
      });
    }
    if (istio.terminationDrainSetBy && grace.seconds < istio.terminationDrainSeconds) {
      const needed = Math.ceil(istio.terminationDrainSeconds);
      results.push({
        path: gracePath(w),
        messageId: 'graceCutsDrain' as const,
        data: {
          drain: seconds(istio.terminationDrainSeconds),
          drainFrom: istio.terminationDrainSetBy,
          grace: `terminationGracePeriodSeconds ${grace.seconds}${grace.explicit ? '' : ' (the default)'}`,
          neededSeconds: needed,
        },
        fixId: 'raiseGrace' as const,
        patch: podSpecPatch(w, { terminationGracePeriodSeconds: needed }),
      });
    }
    return results;
  },
});

export default istioDrainShorterThanApp;
