import { WORKLOAD_KINDS } from '../../k8s/objects.js';
import { defineRule } from './support/defineRule.js';
import { seconds } from './support/drain.js';
import { annotationsPatch, appShutdown, assumedClause, classicSidecarOf, graceFieldFor, meshSettingPath } from './support/mesh.js';

const LIFECYCLE = 'consul.hashicorp.com/enable-sidecar-proxy-lifecycle';
const SHUTDOWN_GRACE = 'consul.hashicorp.com/sidecar-proxy-lifecycle-shutdown-grace-period-seconds';

/**
 * consul-dataplane runs as a regular container unless consul-k8s injects it as a native
 * sidecar. With proxy lifecycle management it keeps proxying for its shutdown grace period after
 * SIGTERM (the Helm chart's default is 30 s) and then quits Envoy; without it, it exits at once
 * (docs/reference/traffic-paths.md#consul-dataplane). An app whose preStop and drain last longer loses its
 * proxy while it still serves. A proxy already written in the pod spec is sidecar-exits-first's.
 */
export const consulProxyExitsFirst = defineRule({
  target: 'object',
  kinds: WORKLOAD_KINDS,
  meta: {
    id: 'consul-proxy-exits-first',
    ruleOfUptime: 7,
    severity: 'warning',
    looksAt: 'meshes',
    summary: 'the Consul dataplane sidecar stops proxying before the app has drained',
    fixable: true,
    messages: {
      exitsBeforeApp:
        'consul-dataplane ({{nativeBy}}) gets SIGTERM with the app and stops proxying at {{stops}} ({{why}}), while "{{app}}" needs it until about ' +
        '{{appDone}} (preStop {{preStop}} + {{appDrain}} drain): requests that reach the pod later and the calls the app makes while draining fail{{assumed}}',
    },
    fixes: {
      shutdownGrace:
        'annotate the pod template {{lifecycleKey}}: "true" and {{graceKey}}: "{{neededSeconds}}", and keep terminationGracePeriodSeconds at least {{neededSeconds}}',
    },
  },
  check(view, settings, all) {
    const found = classicSidecarOf(view, settings, all, 'consul');
    if (!found) return [];
    const { w, sidecar: consul } = found;
    const shutdown = appShutdown(w);
    const stops = consul.lifecycle ? consul.shutdownGraceSeconds : 0;
    if (!shutdown || shutdown.doneSeconds <= stops) return [];
    const needed = Math.ceil(shutdown.doneSeconds);
    const why = !consul.lifecycle
      ? `${LIFECYCLE}: "false" turns its shutdown grace off`
      : consul.assumptions.some((a) => a.includes(SHUTDOWN_GRACE))
        ? 'the shutdown grace period of proxy lifecycle management'
        : `${SHUTDOWN_GRACE}: "${consul.shutdownGraceSeconds}"`;
    return [
      {
        path: meshSettingPath(w, [
          { in: 'annotations', key: consul.lifecycle ? SHUTDOWN_GRACE : LIFECYCLE },
          { in: 'annotations', key: 'consul.hashicorp.com/connect-inject' },
        ]),
        messageId: 'exitsBeforeApp',
        data: {
          nativeBy: consul.nativeBy,
          stops: seconds(stops),
          why,
          app: shutdown.app.name,
          appDone: seconds(shutdown.doneSeconds),
          preStop: seconds(shutdown.preStopSeconds),
          appDrain: seconds(w.drainSeconds),
          assumed: assumedClause(consul.assumptions),
          lifecycleKey: LIFECYCLE,
          graceKey: SHUTDOWN_GRACE,
          neededSeconds: needed,
        },
        fixId: 'shutdownGrace',
        patch: annotationsPatch(w, { [LIFECYCLE]: 'true', [SHUTDOWN_GRACE]: String(needed) }, graceFieldFor(w, needed)),
      },
    ];
  },
});

export default consulProxyExitsFirst;
