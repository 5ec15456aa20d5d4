import { selfDelaySeconds } from '../../k8s/edgeProxies.js';
import { preStopDelayHandler } from '../../k8s/preStop.js';
import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceFieldsFor, preStopOf, preStopPath, seconds } from './support/drain.js';
import { containerPatch } from './support/patches.js';
import { perContainer } from './support/perContainer.js';
import { describeRemoval, removalBudget } from './support/paths.js';

/**
 * Endpoint removal and the kubelet's stop signal start at the same moment and nothing orders them
 * (docs/reference/traffic-routing.md#endpointslice-conditions, docs/reference/pod-termination.md#containers-stop-in-parallel): a container without a preStop hook is signalled at
 * t≈0 while kube-proxy, ingress controllers and load balancers still route to it (docs/reference/traffic-routing.md#propagation-latency). Every
 * server stops accepting on its graceful signal (docs/reference/signals.md#every-server-stops-accepting-at-once), so requests in that
 * window are refused. The delay the fix suggests is the slowest traffic path's removal time
 * (docs/reference/traffic-paths.md#path-budgets), so the fix also satisfies prestop-shorter-than-propagation. Skipped when the workload declares
 * zerodrop.dev/in-app-drain, for a container whose server delays its own shutdown as a file
 * of the input says (CoreDNS's lameduck: coredns-lameduck-missing judges it), and for one whose
 * server keeps serving after its stop signal for at least the removal time (Caddy's
 * shutdown_delay, https://caddyserver.com/docs/caddyfile/options#shutdown-delay); a shorter one
 * is reported with the gap it leaves.
 */
export const prestopMissing = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-missing',
    ruleOfUptime: 4,
    severity: 'error',
    looksAt: 'shutdown',
    summary: 'a serving container has no preStop delay, so it stops listening while endpoints still route to it',
    fixable: true,
    messages: {
      noPreStop:
        'container "{{container}}" has no preStop hook: it gets its stop signal the moment the pod is deleted, while endpoint removal is still ' +
        'propagating (assumed {{propagationSeconds}} s, --propagation-seconds), so requests routed to it in that window hit a closed listener ({{servingReason}})',
      noPreStopForPath:
        'container "{{container}}" has no preStop hook: it gets its stop signal the moment the pod is deleted, but the slowest path to it is {{path}}, ' +
        'so requests routed to it in that window hit a closed listener',
      delayShorterThanRemoval:
        'container "{{container}}" has no preStop hook, and {{server}} keeps serving for only {{delay}} after its stop signal ({{origin}}), but ' +
        '{{removal}}: requests routed to it in the last {{gap}} hit a closed listener',
    },
    fixes: {
      addSleepAction:
        'add lifecycle.preStop.sleep.seconds: {{seconds}} (or, if the app itself keeps serving after SIGTERM, annotate zerodrop.dev/in-app-drain: "true")',
      addExecSleep:
        'add lifecycle.preStop.exec.command: ["sleep", "{{seconds}}"] (or, if the app itself keeps serving after SIGTERM, annotate zerodrop.dev/in-app-drain: "true")',
      drainInApp:
        'the image has no sleep binary and this Kubernetes version has no sleep action: delay shutdown in the app and annotate zerodrop.dev/in-app-drain: "true"',
    },
  },
  check: perContainer(drainingContainers, (c, w, settings) => {
    if (preStopOf(c)) return undefined;
    // A server whose own shutdown delay is configured in a file of the input and judged there against removal (CoreDNS's lameduck).
    const configured = w.configuredShutdown.get(c.name);
    if (configured?.judgesRemoval) return undefined;
    const budget = removalBudget(w, settings);
    // An ingress controller told to keep accepting after SIGTERM delays its own shutdown.
    if ((selfDelaySeconds(c.container) ?? 0) >= budget.seconds) return undefined;
    // So does a server that keeps serving after its stop signal (Caddy's shutdown_delay): a preStop sleep of its own.
    const ownDelay = configured?.delaySeconds ?? 0;
    if (ownDelay >= budget.seconds) return undefined;
    const handler = preStopDelayHandler(budget.seconds, settings.kubernetesVersion, typeof c.container.image === 'string' ? c.container.image : undefined);
    const removal = budget.path
      ? `the slowest path to it is ${describeRemoval(budget.path)}`
      : `endpoint removal is assumed to take ${seconds(budget.seconds)} (--propagation-seconds)`;
    const data =
      ownDelay > 0
        ? {
            container: c.name,
            server: configured!.server,
            delay: seconds(ownDelay),
            origin: configured!.origin,
            removal,
            gap: seconds(budget.seconds - ownDelay),
          }
        : budget.path
          ? { container: c.name, path: describeRemoval(budget.path) }
          : { container: c.name, propagationSeconds: settings.propagationSeconds, servingReason: w.servingReason };
    const messageId = ownDelay > 0 ? ('delayShorterThanRemoval' as const) : budget.path ? ('noPreStopForPath' as const) : ('noPreStop' as const);
    const trafficPath = budget.path ? { trafficPath: budget.path } : {};
    const path = preStopPath(c);
    if (!handler) return { path, messageId, data, fixId: 'drainInApp', ...trafficPath };
    const fix = handler.sleep
      ? ({ fixId: 'addSleepAction', seconds: handler.sleep.seconds } as const)
      : ({ fixId: 'addExecSleep', seconds: Math.ceil(budget.seconds) } as const);
    return {
      path,
      messageId,
      data: { ...data, seconds: fix.seconds },
      fixId: fix.fixId,
      patch: containerPatch(w, c, { lifecycle: { preStop: handler } }, graceFieldsFor(w, c, budget.seconds)),
      ...trafficPath,
    };
  }),
});

export default prestopMissing;
