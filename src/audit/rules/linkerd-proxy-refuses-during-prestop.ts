import { WORKLOAD_KINDS } from '../../k8s/objects.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, seconds } from './support/drain.js';
import { annotationsPatch, appShutdown, assumedClause, capitalised, classicSidecarOf, graceFieldFor, meshSettingPath } from './support/mesh.js';
import { podSpecPatch } from './support/patches.js';

const WAIT = 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds';

/**
 * Linkerd's proxy refuses every new request as soon as it gets SIGTERM
 * (docs/reference/traffic-paths.md#linkerd-proxy). As a regular container it gets the signal with the
 * app, so the app's preStop delay, meant to keep the pod serving while endpoint removal
 * propagates, protects nothing: the proxy in front of it refuses the late requests. The proxy's
 * own preStop (`config.alpha.linkerd.io/proxy-wait-before-exit-seconds`) has to outlast the
 * app's, and the grace period has to cover that wait plus the drain. A native sidecar stops only
 * after the app has exited. A proxy already written in the pod spec is sidecar-exits-first's.
 */
export const linkerdProxyRefusesDuringPrestop = defineRule({
  target: 'object',
  kinds: WORKLOAD_KINDS,
  meta: {
    id: 'linkerd-proxy-refuses-during-prestop',
    ruleOfUptime: 7,
    severity: 'warning',
    looksAt: 'meshes',
    summary: "a classic Linkerd proxy refuses new requests on SIGTERM while the app's preStop still waits for endpoint removal",
    fixable: true,
    messages: {
      refusesDuringPreStop:
        '{{injectedBy}} gives the pods a classic linkerd-proxy ({{nativeBy}}): it gets SIGTERM at {{wait}} and refuses every new request from then on, ' +
        'while "{{app}}" keeps waiting {{preStop}} in its preStop for endpoint removal to reach every client: the requests that arrive meanwhile fail{{assumed}}',
      graceShorterThanWait:
        'linkerd-proxy waits {{wait}} ({{waitKey}}) and the app drains {{appDrain}} after it, but the grace period is {{grace}}: ' +
        'the kubelet kills the pod before the proxy has let the last requests finish',
    },
    fixes: {
      waitBeforeExit:
        'annotate the pod template {{waitKey}}: "{{neededWait}}" (longer than the app\'s preStop, covering its drain) and keep terminationGracePeriodSeconds at least {{neededGrace}}; ' +
        'or run the proxy as a native sidecar (config.linkerd.io/proxy-enable-native-sidecar: "true" on Linkerd 2.20, config.alpha.linkerd.io/proxy-enable-native-sidecar on 2.15–2.19)',
      raiseGrace: "raise terminationGracePeriodSeconds to at least {{neededGrace}} (the proxy's wait plus the drain), or shorten the wait",
    },
  },
  check(view, settings, all) {
    const found = classicSidecarOf(view, settings, all, 'linkerd');
    if (!found) return [];
    const { w, sidecar: linkerd } = found;
    const shutdown = appShutdown(w);
    if (!shutdown || shutdown.preStopSeconds <= 0) return [];
    const grace = graceOf(w);
    const graceText = `terminationGracePeriodSeconds ${grace.seconds}${grace.explicit ? '' : ' (the default)'}`;
    const waitPath = meshSettingPath(w, [
      { in: 'annotations', key: WAIT },
      { in: 'annotations', key: 'linkerd.io/inject' },
    ]);
    if (linkerd.waitBeforeExitSeconds <= shutdown.preStopSeconds) {
      const neededWait = Math.ceil(shutdown.doneSeconds);
      const neededGrace = neededWait + Math.ceil(w.drainSeconds);
      return [
        {
          path: waitPath,
          messageId: 'refusesDuringPreStop',
          data: {
            injectedBy: capitalised(linkerd.injectedBy),
            nativeBy: linkerd.nativeBy,
            wait: linkerd.waitBeforeExitSeconds > 0 ? `${seconds(linkerd.waitBeforeExitSeconds)} (${WAIT})` : '0 s',
            app: shutdown.app.name,
            preStop: seconds(shutdown.preStopSeconds),
            assumed: assumedClause(linkerd.assumptions),
            waitKey: WAIT,
            neededWait,
            neededGrace,
          },
          fixId: 'waitBeforeExit',
          patch: annotationsPatch(w, { [WAIT]: String(neededWait) }, graceFieldFor(w, neededGrace)),
        },
      ];
    }
    const neededGrace = Math.ceil(linkerd.waitBeforeExitSeconds + w.drainSeconds);
    if (grace.seconds >= neededGrace) return [];
    return [
      {
        path: gracePath(w),
        messageId: 'graceShorterThanWait',
        data: {
          wait: seconds(linkerd.waitBeforeExitSeconds),
          waitKey: WAIT,
          appDrain: seconds(w.drainSeconds),
          grace: graceText,
          neededGrace,
        },
        fixId: 'raiseGrace',
        patch: podSpecPatch(w, { terminationGracePeriodSeconds: neededGrace }),
      },
    ];
  },
});

export default linkerdProxyRefusesDuringPrestop;
