import { WORKLOAD_KINDS } from '../../k8s/objects.js';
import { defineRule } from './support/defineRule.js';
import { seconds } from './support/drain.js';
import { annotationsPatch, appShutdown, assumedClause, classicSidecarOf, graceFieldFor, meshSettingPath } from './support/mesh.js';

const BLOCK = 'dapr.io/block-shutdown-duration';

/**
 * The Dapr injector adds daprd as a regular container: it gets SIGTERM with the app and starts
 * its graceful shutdown at once, closing its API servers and letting in-flight requests finish
 * within dapr.io/graceful-shutdown-seconds (docs/reference/traffic-paths.md#dapr-sidecar). An app that
 * waits in a preStop and then drains loses daprd under it: service invocations that reach it
 * through daprd (it is a target once dapr.io/app-port is set) and its own Dapr API calls fail.
 * dapr.io/block-shutdown-duration holds daprd's shutdown back for as long as the app needs it.
 */
export const daprSidecarExitsFirst = defineRule({
  target: 'object',
  kinds: WORKLOAD_KINDS,
  meta: {
    id: 'dapr-sidecar-exits-first',
    ruleOfUptime: 7,
    severity: 'warning',
    looksAt: 'meshes',
    summary: 'daprd shuts down on SIGTERM while the app still waits in its preStop and drains',
    fixable: true,
    messages: {
      exitsBeforeApp:
        'dapr.io/enabled adds daprd as a regular container ({{nativeBy}}): it starts shutting down at {{stops}}{{blockFrom}}, while "{{app}}" keeps serving ' +
        'until about {{appDone}} (preStop {{preStop}} + {{appDrain}} drain): {{lost}} fail once daprd is gone{{assumed}}',
    },
    fixes: {
      blockShutdown:
        'annotate the pod template {{blockKey}}: "{{neededSeconds}}s" (daprd keeps serving until then, or until the app reports unhealthy), ' +
        'and keep terminationGracePeriodSeconds at least {{neededGrace}}',
    },
  },
  check(view, settings, all) {
    const found = classicSidecarOf(view, settings, all, 'dapr');
    if (!found) return [];
    const { w, sidecar: dapr } = found;
    const shutdown = appShutdown(w);
    // An app that stops at once on SIGTERM (no preStop, no in-app drain) needs daprd no longer than daprd's own grace.
    if (!shutdown || (shutdown.preStopSeconds <= 0 && !w.inAppDrain)) return [];
    const stops = dapr.blockShutdownSeconds ?? 0;
    if (shutdown.doneSeconds <= stops) return [];
    const needed = Math.ceil(shutdown.doneSeconds);
    const neededGrace = needed + dapr.gracefulShutdownSeconds;
    const lost =
      dapr.appPort !== undefined
        ? `the service invocations daprd delivers to it on port ${dapr.appPort} (dapr.io/app-port) and its own Dapr API calls`
        : 'its Dapr API calls (state, pub/sub, bindings, service invocation)';
    return [
      {
        path: meshSettingPath(w, [
          { in: 'annotations', key: BLOCK },
          { in: 'annotations', key: 'dapr.io/enabled' },
        ]),
        messageId: 'exitsBeforeApp',
        data: {
          nativeBy: dapr.nativeBy,
          stops: seconds(stops),
          blockFrom: dapr.blockShutdownSeconds !== undefined ? ` (${BLOCK})` : ` (no ${BLOCK})`,
          app: shutdown.app.name,
          appDone: seconds(shutdown.doneSeconds),
          preStop: seconds(shutdown.preStopSeconds),
          appDrain: seconds(w.drainSeconds),
          lost,
          assumed: assumedClause(dapr.assumptions),
          blockKey: BLOCK,
          neededSeconds: needed,
          neededGrace,
        },
        fixId: 'blockShutdown',
        patch: annotationsPatch(w, { [BLOCK]: `${needed}s` }, graceFieldFor(w, neededGrace)),
      },
    ];
  },
});

export default daprSidecarExitsFirst;
