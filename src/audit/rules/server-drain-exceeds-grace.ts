import { podSpecPatch } from './support/patches.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { LONG_RUNNING_WORKLOAD_KINDS, objectsOf, workloadViewOf } from './support/edge.js';
import { frameworkDrainFinding } from './support/frameworkDrain.js';
import { serverDrainFinding } from './support/serverDrain.js';

/**
 * The kubelet sends SIGKILL terminationGracePeriodSeconds after the preStop starts
 * (docs/reference/pod-termination.md#per-container-kill). A server that, after its stop signal,
 * keeps serving for a delay (Caddy's shutdown_delay) and then waits up to its own budget for
 * in-flight requests (gunicorn's graceful_timeout, uvicorn's --timeout-graceful-shutdown, Caddy's
 * grace_period, php-fpm's process_control_timeout: support/serverDrain.ts; Spring Boot's shutdown
 * phase, ASP.NET Core's ShutdownTimeout: support/frameworkDrain.ts) needs that much of the window
 * the preStop leaves; otherwise the kubelet, not the server, ends the drain, and the requests the
 * server was still allowed to finish are cut (docs/reference/signals.md#server-shutdown-timeouts,
 * docs/reference/app-frameworks.md). An ASP.NET Core timeout shorter than the workload's drain
 * cuts them from the other side. The grace period is pod-wide: one number fits every container.
 */
export const serverDrainExceedsGrace = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'server-drain-exceeds-grace',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'shutdown',
    summary:
      "the server's own shutdown budget (gunicorn, uvicorn, Caddy, php-fpm, Spring Boot, ASP.NET Core) plus the preStop outlasts terminationGracePeriodSeconds, or ASP.NET Core's is shorter than the drain, so requests it would have finished are cut",
    fixable: true,
    messages: {
      drainCutByKill:
        '{{server}} in "{{container}}" finishes in-flight requests for up to {{total}} after its stop signal ({{origin}}{{delay}}), ' +
        'but {{preStopText}} and {{grace}} leave it {{window}} before SIGKILL: requests still running then are cut {{shortfall}} before {{server}} would have given up on them',
      delayOutlastsGrace:
        '{{server}} in "{{container}}" keeps serving for {{delaySeconds}} after its stop signal ({{delayOrigin}}) before it starts draining, ' +
        'but {{preStopText}} and {{grace}} leave it {{window}} before SIGKILL: it is killed while still serving, cutting every request in flight',
      springPhaseOutlastsGrace:
        '{{server}} in "{{container}}" shuts down gracefully ({{graceful}}) and waits up to {{total}} per shutdown phase ({{phaseFrom}}), ' +
        'but {{preStopText}} and {{grace}} leave it {{window}} before SIGKILL: requests still running then are cut while {{server}} is still waiting for them',
      dotnetTimeoutOutlastsGrace:
        '{{server}} in "{{container}}" waits up to {{total}} for requests to finish ({{timeoutFrom}}), ' +
        'but {{preStopText}} and {{grace}} leave it {{window}} before SIGKILL: requests still running then are cut while the host is still waiting for them',
      dotnetTimeoutCutsDrain:
        'ASP.NET Core in "{{container}}" has a shutdown timeout of {{timeout}} ({{timeoutFrom}}), shorter than the {{drain}} the workload needs to drain (--drain-seconds): ' +
        'the host aborts the connections still open when it runs out, cutting their requests',
    },
    fixes: {
      raiseGrace:
        'set terminationGracePeriodSeconds to at least {{needed}} ({{preStop}} preStop + {{total}} of {{server}} shutdown), or lower {{setting}} to fit in the {{window}} the pod leaves it',
      raiseGraceForDelay:
        'set terminationGracePeriodSeconds to at least {{needed}} ({{preStop}} preStop + {{delaySeconds}} shutdown_delay + {{drain}} to drain), or shorten shutdown_delay: with a preStop sleep in front, Caddy needs little or none',
      raiseDotnetTimeout:
        "raise the host's shutdown timeout to at least {{drainSeconds}} s {{how}}, and keep terminationGracePeriodSeconds above the preStop plus that timeout",
    },
  },
  check(view, _settings, all) {
    const w = workloadViewOf(view, all.workloads);
    if (!w?.serving) return [];
    const objects = objectsOf(all.objects);
    const found = longRunningContainers(w).flatMap((c) => serverDrainFinding(c, w, objects) ?? frameworkDrainFinding(c, w, objects) ?? []);
    if (found.length === 0) return [];
    const needed = Math.max(...found.map((f) => f.graceNeeded ?? 0));
    const patch = podSpecPatch(w, { terminationGracePeriodSeconds: needed });
    return found.map((f) => f.report(needed, patch));
  },
});

export default serverDrainExceedsGrace;
