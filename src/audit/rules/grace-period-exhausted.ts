import { preStopDelaySeconds, type LifecycleHandler } from '../../k8s/objects.js';
import { graceSecondsNeeded, shutdownTimeline } from '../../k8s/shutdownTimeline.js';
import { trafficContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, graceText, preStopOf, seconds } from './support/drain.js';
import { podSpecPatch } from './support/patches.js';
import { describeRemoval, removalBudget } from './support/paths.js';

/**
 * The grace period counts from before the preStop hook (docs/reference/pod-termination.md#grace-arithmetic): the app's window is
 * G − floor(P), never below the 2 s minimum, and SIGKILL follows. When preStop + drain exceeds
 * terminationGracePeriodSeconds (default 30) the app is killed mid-drain (docs/reference/pod-termination.md#each-container; Yelp/paasta#3909).
 * An app that delays its own shutdown (zerodrop.dev/in-app-drain) serves on after its stop signal
 * until the slowest traffic path has let go (docs/reference/traffic-paths.md#path-budgets), and
 * only then drains: its window must hold both.
 */
export const gracePeriodExhausted = defineRule({
  target: 'workload',
  meta: {
    id: 'grace-period-exhausted',
    ruleOfUptime: 4,
    severity: 'error',
    looksAt: 'shutdown',
    summary: 'preStop plus drain time exceeds terminationGracePeriodSeconds, so the app is SIGKILLed mid-drain',
    fixable: true,
    messages: {
      minimumWindowOnly:
        'preStop of "{{container}}" sleeps {{preStop}} against {{grace}}: the stop signal comes at {{stopSignalAt}} and SIGKILL ' +
        "{{appWindow}} later (the kubelet's 2 s minimum), so the app gets {{appWindow}} of the {{drain}} it needs to drain (--drain-seconds).",
      minimumWindowOnlyAndRejected:
        'preStop of "{{container}}" sleeps {{preStop}} against {{grace}}: the stop signal comes at {{stopSignalAt}} and SIGKILL ' +
        "{{appWindow}} later (the kubelet's 2 s minimum), so the app gets {{appWindow}} of the {{drain}} it needs to drain (--drain-seconds). " +
        'The API server rejects sleep.seconds above terminationGracePeriodSeconds (https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/3960-pod-lifecycle-sleep-action).',
      killedMidDrain:
        'preStop {{preStop}} + drain {{drain}} = {{total}} exceeds {{grace}} for "{{container}}": ' +
        'the app gets its stop signal at {{stopSignalAt}} and SIGKILL at {{killAt}}, {{shortfall}} before it finishes draining, cutting in-flight requests',
      inAppDrainKilled:
        '"{{container}}" delays its own shutdown (zerodrop.dev/in-app-drain), so after its stop signal at {{stopSignalAt}} it serves on for {{hold}} until ' +
        'the slowest path lets go ({{path}}) and then drains {{drain}}: {{grace}} kills it at {{killAt}}, {{shortfall}} too early',
      minimumWindowNoSleep:
        '"{{container}}" {{hook}}, with {{grace}}: the stop signal comes at once and SIGKILL {{appWindow}} later ' +
        "(the kubelet's 2 s minimum), so the app gets {{appWindow}} of the {{drain}} it needs to drain (--drain-seconds).",
      killedMidDrainNoSleep:
        'drain {{drain}} exceeds {{grace}} for "{{container}}", which {{hook}}: ' +
        'the app gets its stop signal at once and SIGKILL at {{killAt}}, {{shortfall}} before it finishes draining, cutting in-flight requests',
    },
    fixes: {
      raiseGrace: 'set terminationGracePeriodSeconds to at least {{needed}} (preStop + drain), or shorten the preStop',
      raiseGraceForPath: "set terminationGracePeriodSeconds to at least {{needed}} (the slowest path's removal time + drain)",
      raiseGraceForDrain: "set terminationGracePeriodSeconds to at least {{needed}} (preStop + drain of the pod's serving containers)",
    },
  },
  check(w, settings) {
    if (!w.serving) return [];
    const grace = graceOf(w);
    const drain = w.drainSeconds;
    // In-app drain: the app itself holds on after its stop signal until the slowest path lets go.
    const budget = w.inAppDrain ? removalBudget(w, settings) : undefined;
    const holdAfter = (preStop: number) => (budget ? Math.max(0, budget.seconds - preStop) : 0);
    const failing = trafficContainers(w)
      .map((c) => {
        const handler = preStopOf(c);
        const preStop = preStopDelaySeconds(handler) ?? 0;
        return { c, handler, preStop, hold: holdAfter(preStop), timeline: shutdownTimeline(grace.seconds, preStop) };
      })
      .filter((x) => x.timeline.appWindow < drain + x.hold);
    if (failing.length === 0) return [];
    const needed = Math.max(
      ...trafficContainers(w).map((c) => {
        const preStop = preStopDelaySeconds(preStopOf(c)) ?? 0;
        return graceSecondsNeeded(preStop, drain + holdAfter(preStop));
      }),
    );
    const patch = podSpecPatch(w, { terminationGracePeriodSeconds: needed });
    return failing.map(({ c, handler, preStop, hold, timeline }) => {
      const rejected = Boolean(handler?.sleep) && preStop > grace.seconds;
      if (hold > 0 && budget)
        return {
          path: gracePath(w),
          container: c.name,
          messageId: 'inAppDrainKilled' as const,
          data: {
            container: c.name,
            stopSignalAt: seconds(timeline.stopSignalAt),
            hold: seconds(hold),
            path: budget.path ? describeRemoval(budget.path) : `endpoint propagation, ${seconds(budget.seconds)} (--propagation-seconds)`,
            drain: seconds(drain),
            grace: graceText(w),
            killAt: seconds(timeline.killAt),
            shortfall: seconds(drain + hold - timeline.appWindow),
            needed,
          },
          fixId: 'raiseGraceForPath' as const,
          patch,
          ...(budget.path ? { trafficPath: budget.path } : {}),
        };
      const timed = preStopDelaySeconds(handler) !== undefined;
      return {
        path: gracePath(w),
        container: c.name,
        messageId: !timed
          ? timeline.floorApplied
            ? 'minimumWindowNoSleep'
            : 'killedMidDrainNoSleep'
          : timeline.floorApplied
            ? rejected
              ? 'minimumWindowOnlyAndRejected'
              : 'minimumWindowOnly'
            : 'killedMidDrain',
        data: {
          container: c.name,
          hook: hookText(handler),
          preStop: seconds(preStop),
          drain: seconds(drain),
          total: seconds(preStop + drain),
          grace: graceText(w),
          stopSignalAt: seconds(timeline.stopSignalAt),
          appWindow: seconds(timeline.appWindow),
          killAt: seconds(timeline.killAt),
          shortfall: seconds(drain - timeline.appWindow),
          needed,
        },
        fixId: timed ? 'raiseGrace' : 'raiseGraceForDrain',
        patch,
      };
    });
  },
});

/** A hook that is not a timed sleep, as the message says it: none, or counted as returning at once. */
function hookText(handler: LifecycleHandler | undefined): string {
  if (!handler) return 'has no preStop';
  const exec = handler.exec?.command;
  const what = Array.isArray(exec)
    ? `exec "${exec.map(String).join(' ')}"`
    : handler.httpGet
      ? `HTTP GET ${String((handler.httpGet as { path?: unknown }).path ?? '/')}`
      : 'a handler zerodrop does not know';
  return `has a preStop that is not a timed sleep (${what}), counted as returning at once`;
}

export default gracePeriodExhausted;
