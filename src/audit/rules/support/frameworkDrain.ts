/**
 * server-drain-exceeds-grace for application frameworks whose shutdown budget is a property
 * (docs/reference/app-frameworks.md, src/k8s/appShutdown.ts): Spring Boot's graceful shutdown waits
 * up to `spring.lifecycle.timeout-per-shutdown-phase` (30 s by default) for active requests
 * (spring-projects/spring-boot#26469); ASP.NET Core's host waits up to `HostOptions.ShutdownTimeout`
 * (30 s from .NET 7, 5 s before) and then aborts the connections still open, which cuts requests
 * from the other side when it is shorter than the drain the workload needs (--drain-seconds).
 * Judged only where the input shows the framework's mode and either the budget or the version
 * that fixes its default.
 */
import { APP_SHUTDOWN_SETTINGS, appShutdownDefault, versionIndependentDefault } from '../../../k8s/appShutdown.js';
import type { KubeObject } from '../../../k8s/objects.js';
import type { ContainerView, WorkloadView } from '../../types.js';
import { dotnetContainer, springContainer } from './appFrameworks.js';
import { gracePath, seconds } from './drain.js';
import { graceFinding, windowOf, type DrainFinding } from './shutdownBudget.js';
import { settingPath } from './springFindings.js';

function springFinding(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): DrainFinding | undefined {
  const spring = springContainer(c, w, objects);
  if (!spring) return undefined;
  const { shutdown, phaseTimeout } = spring.view;
  const graceful = shutdown
    ? shutdown.value === 'graceful' && shutdown.certain
    : appShutdownDefault('spring-boot/server.shutdown', spring.version?.version)?.value === 'graceful';
  if (!graceful) return undefined;
  const phase = phaseTimeout?.certain ? phaseTimeout : undefined;
  const budget = phase?.value ?? versionIndependentDefault('spring-boot/timeout-per-shutdown-phase')?.seconds ?? 30;
  const window = windowOf(w, c);
  // A budget within the drain the workload needs is grace-period-exhausted's to judge.
  if (budget <= w.drainSeconds || window.appWindow >= budget) return undefined;
  return graceFinding(w, c, window, budget, {
    path: phase ? settingPath(c, phase) : gracePath(w),
    messageId: 'springPhaseOutlastsGrace',
    data: {
      server: 'Spring Boot',
      graceful: shutdown ? shutdown.written : `the Spring Boot ${spring.version?.version} default`,
      total: seconds(budget),
      phaseFrom: phase ? phase.written : 'the default; an application.yml packaged in the jar could set another',
      setting: APP_SHUTDOWN_SETTINGS['spring-boot/timeout-per-shutdown-phase'].property,
    },
    fixId: 'raiseGrace',
  });
}

function dotnetFinding(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): DrainFinding | undefined {
  const timeout = dotnetContainer(c, w, objects)?.timeout;
  if (!timeout) return undefined;
  const window = windowOf(w, c);
  const from = timeout.explicit ? timeout.origin : `${timeout.origin}; code that configures HostOptions could set another`;
  if (timeout.seconds < w.drainSeconds)
    return {
      report: () => ({
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
      }),
    };
  if (window.appWindow >= timeout.seconds) return undefined;
  return graceFinding(w, c, window, timeout.seconds, {
    path: gracePath(w),
    messageId: 'dotnetTimeoutOutlastsGrace',
    data: { server: 'ASP.NET Core', total: seconds(timeout.seconds), timeoutFrom: from, setting: 'HostOptions.ShutdownTimeout' },
    fixId: 'raiseGrace',
  });
}

/** Spring Boot's or ASP.NET Core's shutdown budget against the pod. */
export function frameworkDrainFinding(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): DrainFinding | undefined {
  return springFinding(c, w, objects) ?? dotnetFinding(c, w, objects);
}
