export { shortPreStop, withSleepSeconds } from './support/sleep.js';
import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { seconds } from './support/drain.js';
import { perContainer } from './support/perContainer.js';
import { shortPreStop } from './support/sleep.js';
import { describeRemoval, removalBudget } from './support/paths.js';

/**
 * A preStop delay shorter than the slowest traffic path's removal time signals the app while
 * that path still routes to it: the in-cluster propagation (docs/reference/traffic-routing.md#propagation-latency: ~1 s for kube-proxy,
 * ≥3.3 s for ingress-nginx) or a cloud load balancer's own (docs/reference/traffic-paths.md#path-budgets: AWS NLB with IP targets about
 * 2 minutes). A node-local path (externalTrafficPolicy: Local) that is the slowest is
 * local-traffic-policy-drops' to report, with its health-check details.
 */
export const prestopShorterThanPropagation = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-shorter-than-propagation',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'shutdown',
    summary: 'the preStop delay is shorter than the assumed endpoint-propagation time',
    fixable: true,
    messages: {
      shorterThanPropagation:
        'preStop of "{{container}}" sleeps {{preStop}}{{keepsServing}} but endpoint removal is assumed to take {{propagation}} (--propagation-seconds): ' +
        'requests routed in the last {{gap}} hit a closed listener',
      shorterThanPath:
        'preStop of "{{container}}" sleeps {{preStop}}{{keepsServing}} but the slowest path to it is {{path}}: requests routed in the last {{gap}} hit a closed listener',
    },
    fixes: {
      sleepLonger: 'sleep at least {{wanted}} s in preStop (tune --propagation-seconds to your ingress or load balancer)',
      sleepPastPath:
        'sleep at least {{wanted}} s in preStop, and keep terminationGracePeriodSeconds above it plus the drain (zerodrop audit --explain-paths shows every path)',
    },
  },
  check: perContainer(drainingContainers, (c, w, settings) => {
    const budget = removalBudget(w, settings);
    if (budget.path?.kind === 'node-local') return undefined;
    const short = shortPreStop(c, w, budget.seconds, settings);
    if (!short) return undefined;
    // A server that keeps serving after its stop signal (Caddy's shutdown_delay) extends the sleep.
    const configured = w.configuredShutdown.get(c.name);
    const delay = configured && !configured.judgesRemoval ? (configured.delaySeconds ?? 0) : 0;
    if (short.preStop + delay >= budget.seconds) return undefined;
    const { at, preStop, wanted, patch } = short;
    // The requests cut are those routed after both the sleep and the server's own delay have run out.
    const gap = seconds(budget.seconds - preStop - delay);
    const keepsServing =
      delay > 0
        ? ` and ${configured?.server ?? 'the server'} keeps serving ${seconds(delay)} after its stop signal, set by ${configured?.origin ?? 'its configuration'},`
        : '';
    if (budget.path)
      return {
        path: at,
        messageId: 'shorterThanPath',
        data: { container: c.name, preStop: seconds(preStop), keepsServing, path: describeRemoval(budget.path), gap, wanted, kind: budget.path.kind },
        fixId: 'sleepPastPath',
        patch,
        trafficPath: budget.path,
      };
    return {
      path: at,
      messageId: 'shorterThanPropagation',
      data: { container: c.name, preStop: seconds(preStop), keepsServing, propagation: seconds(budget.seconds), gap, wanted },
      fixId: 'sleepLonger',
      patch,
    };
  }),
});

export default prestopShorterThanPropagation;
