import { preStopDelaySeconds } from '../../k8s/objects.js';
import { graceSecondsNeeded, shutdownTimeline } from '../../k8s/shutdownTimeline.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { trafficContainers } from './support/containers.js';
import { graceOf, gracePath, preStopOf, seconds } from './support/drain.js';
import { podSpecPatch } from './support/patches.js';

/**
 * The grace period counts from before the preStop hook (§1.2 K8S-HOOKS): the app's window is
 * G − floor(P), never below the 2 s minimum, and SIGKILL follows. When preStop + drain exceeds
 * terminationGracePeriodSeconds (default 30) the app is killed mid-drain (§1.7 step 3; Yelp/paasta#3909).
 */
export const gracePeriodExhausted: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'grace-period-exhausted',
    ruleOfUptime: 4,
    severity: 'error',
    summary: 'preStop plus drain time exceeds terminationGracePeriodSeconds, so the app is SIGKILLed mid-drain',
    fixable: true,
  },
  check(w) {
    if (!w.serving) return [];
    const grace = graceOf(w);
    const graceText = `terminationGracePeriodSeconds ${grace.seconds}${grace.explicit ? '' : ' (the default)'}`;
    const drain = w.drainSeconds;
    const failing = trafficContainers(w)
      .map((c) => {
        const handler = preStopOf(c);
        const preStop = preStopDelaySeconds(handler) ?? 0;
        return { c, handler, preStop, timeline: shutdownTimeline(grace.seconds, preStop) };
      })
      .filter((x) => x.timeline.appWindow < drain);
    if (failing.length === 0) return [];
    const needed = Math.max(...trafficContainers(w).map((c) => graceSecondsNeeded(preStopDelaySeconds(preStopOf(c)) ?? 0, drain)));
    const patch = podSpecPatch(w, { terminationGracePeriodSeconds: needed });
    return failing.map(({ c, handler, preStop, timeline }): RuleResult => {
      const rejected = handler?.sleep && preStop > grace.seconds ? ' The API server rejects sleep.seconds above terminationGracePeriodSeconds (§1.1).' : '';
      const message = timeline.floorApplied
        ? `preStop of "${c.name}" sleeps ${seconds(preStop)} against ${graceText}: the stop signal comes at ${seconds(timeline.stopSignalAt)} and SIGKILL ` +
          `${seconds(timeline.appWindow)} later (the kubelet's 2 s minimum), so the app gets ${seconds(timeline.appWindow)} of the ${seconds(drain)} it needs to drain (--drain-seconds).${rejected}`
        : `preStop ${seconds(preStop)} + drain ${seconds(drain)} = ${seconds(preStop + drain)} exceeds ${graceText} for "${c.name}": ` +
          `the app gets its stop signal at ${seconds(timeline.stopSignalAt)} and SIGKILL at ${seconds(timeline.killAt)}, ${seconds(drain - timeline.appWindow)} before it finishes draining, cutting in-flight requests`;
      return {
        path: gracePath(w),
        container: c.name,
        message,
        fix: `set terminationGracePeriodSeconds to at least ${needed} (preStop + drain), or shorten the preStop`,
        patch,
      };
    });
  },
};

export default gracePeriodExhausted;
