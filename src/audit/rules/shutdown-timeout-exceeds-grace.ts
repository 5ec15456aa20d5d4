/**
 * Rule of Uptime 4: the framework's own shutdown budget and the pod's grace period disagree.
 * Spring Boot's graceful shutdown waits up to `spring.lifecycle.timeout-per-shutdown-phase`
 * (30 s by default) for active requests, and ASP.NET Core's host waits up to
 * `HostOptions.ShutdownTimeout` (30 s from .NET 7, 5 s before) before it aborts the connections
 * still open. When the preStop plus that budget is longer than terminationGracePeriodSeconds, the
 * kubelet's SIGKILL lands while the framework is still waiting, cutting the requests it would
 * have let finish (spring-projects/spring-boot#26469); when ASP.NET's timeout is shorter than the
 * drain the workload needs (--drain-seconds), the host itself cuts them
 * (docs/reference/app-frameworks.md). Judged only where the input shows the framework's mode and
 * either the budget or the version that fixes its default.
 */
import { preStopDelaySeconds } from '../../k8s/objects.js';
import { appShutdownDefault, versionIndependentDefault } from '../../k8s/appShutdown.js';
import { graceSecondsNeeded, shutdownTimeline } from '../../k8s/shutdownTimeline.js';
import type { ContainerView, RuleResult, WorkloadView } from '../types.js';
import { dotnetContainer, springContainer } from './support/appFrameworks.js';
import { trafficContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, graceText, preStopOf, seconds } from './support/drain.js';
import { LONG_RUNNING_WORKLOAD_KINDS, objectsOf, workloadViewOf } from './support/edge.js';
import { podSpecPatch } from './support/patches.js';
import { settingPath } from './support/springFindings.js';

type Result = RuleResult<'springPhaseOutlastsGrace' | 'dotnetTimeoutOutlastsGrace' | 'dotnetTimeoutCutsDrain', 'raiseGrace' | 'raiseDotnetTimeout'>;

/** The grace numbers of a container: its preStop, the app's window after the stop signal. */
function windowOf(w: WorkloadView, c: ContainerView) {
  const preStop = preStopDelaySeconds(preStopOf(c)) ?? 0;
  return { preStop, appWindow: shutdownTimeline(graceOf(w).seconds, preStop).appWindow };
}

function springFinding(w: WorkloadView, c: ContainerView, objects: ReturnType<typeof objectsOf>): Result | undefined {
  const spring = springContainer(c, w, objects);
  if (!spring) return undefined;
  const { shutdown, phaseTimeout } = spring.view;
  const graceful = shutdown
    ? shutdown.value === 'graceful' && shutdown.certain
    : appShutdownDefault('spring-boot/server.shutdown', spring.version?.version)?.value === 'graceful';
  if (!graceful) return undefined;
  const phase = phaseTimeout?.certain ? phaseTimeout : undefined;
  const budget = phase?.value ?? versionIndependentDefault('spring-boot/timeout-per-shutdown-phase')?.seconds ?? 30;
  const { preStop, appWindow } = windowOf(w, c);
  // A budget within the drain the workload needs is grace-period-exhausted's to judge.
  if (budget <= w.drainSeconds || appWindow >= budget) return undefined;
  const needed = graceSecondsNeeded(preStop, budget);
  return {
    path: phase ? settingPath(c, phase) : gracePath(w),
    container: c.name,
    messageId: 'springPhaseOutlastsGrace',
    data: {
      container: c.name,
      graceful: shutdown ? shutdown.written : `the Spring Boot ${spring.version?.version} default`,
      phase: seconds(budget),
      phaseFrom: phase ? phase.written : 'the default; an application.yml packaged in the jar could set another',
      preStop: seconds(preStop),
      grace: graceText(w),
      appWindow: seconds(appWindow),
      needed,
    },
    fixId: 'raiseGrace',
    patch: podSpecPatch(w, { terminationGracePeriodSeconds: needed }),
  };
}

function dotnetFinding(w: WorkloadView, c: ContainerView, objects: ReturnType<typeof objectsOf>): Result | undefined {
  const dotnet = dotnetContainer(c, w, objects);
  const timeout = dotnet?.timeout;
  if (!timeout) return undefined;
  const { preStop, appWindow } = windowOf(w, c);
  const from = timeout.explicit ? timeout.origin : `${timeout.origin}; code that configures HostOptions could set another`;
  if (timeout.seconds < w.drainSeconds)
    return {
      path: c.path,
      container: c.name,
      messageId: 'dotnetTimeoutCutsDrain',
      data: {
        container: c.name,
        timeout: seconds(timeout.seconds),
        timeoutFrom: from,
        drain: seconds(w.drainSeconds),
        drainSeconds: Math.ceil(w.drainSeconds),
        // The variable is the lowest of the sources: a value set elsewhere has to be raised where it is.
        how: timeout.explicit
          ? `where it is set (${timeout.origin})`
          : `env DOTNET_SHUTDOWNTIMEOUTSECONDS=${Math.ceil(w.drainSeconds)}, or HostOptions.ShutdownTimeout in code`,
      },
      fixId: 'raiseDotnetTimeout',
    };
  if (appWindow >= timeout.seconds) return undefined;
  const needed = graceSecondsNeeded(preStop, timeout.seconds);
  return {
    path: gracePath(w),
    container: c.name,
    messageId: 'dotnetTimeoutOutlastsGrace',
    data: {
      container: c.name,
      timeout: seconds(timeout.seconds),
      timeoutFrom: from,
      preStop: seconds(preStop),
      grace: graceText(w),
      appWindow: seconds(appWindow),
      needed,
    },
    fixId: 'raiseGrace',
    patch: podSpecPatch(w, { terminationGracePeriodSeconds: needed }),
  };
}

export const shutdownTimeoutExceedsGrace = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'shutdown-timeout-exceeds-grace',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'shutdown',
    summary:
      "the framework's shutdown budget (Spring Boot's shutdown phase, ASP.NET Core's ShutdownTimeout) does not fit the grace period, so SIGKILL or the host cuts requests it would let finish",
    fixable: true,
    messages: {
      springPhaseOutlastsGrace:
        'container {{container}} shuts down gracefully ({{graceful}}) and waits up to {{phase}} per shutdown phase ({{phaseFrom}}), but after a preStop of {{preStop}} ' +
        '{{grace}} leaves it {{appWindow}}: requests still running then are cut by SIGKILL while Spring Boot is still waiting for them',
      dotnetTimeoutOutlastsGrace:
        'container {{container}} runs ASP.NET Core, whose host waits up to {{timeout}} for requests to finish ({{timeoutFrom}}), but after a preStop of {{preStop}} ' +
        '{{grace}} leaves it {{appWindow}}: requests still running then are cut by SIGKILL while the host is still waiting for them',
      dotnetTimeoutCutsDrain:
        'container {{container}} runs ASP.NET Core with a shutdown timeout of {{timeout}} ({{timeoutFrom}}), shorter than the {{drain}} the workload needs to drain (--drain-seconds): ' +
        'the host aborts the connections still open when it runs out, cutting their requests',
    },
    fixes: {
      raiseGrace:
        'set terminationGracePeriodSeconds to at least {{needed}} (preStop + the shutdown budget), or lower the budget below what the grace period leaves',
      raiseDotnetTimeout:
        "raise the host's shutdown timeout to at least {{drainSeconds}} s {{how}}, and keep terminationGracePeriodSeconds above the preStop plus that timeout",
    },
  },
  check(view, _settings, all) {
    const w = workloadViewOf(view, all.workloads);
    if (!w) return [];
    const objects = objectsOf(all.objects);
    return trafficContainers(w).flatMap((c) => {
      const found = springFinding(w, c, objects) ?? dotnetFinding(w, c, objects);
      return found ? [found] : [];
    });
  },
});

export default shutdownTimeoutExceedsGrace;
