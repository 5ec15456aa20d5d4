import { parseImageRef } from '../../k8s/imageRef.js';
import { knownImage } from '../../k8s/images.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import { serverShutdownOf, type ResolvedTimeout, type ServerShutdown } from '../../k8s/serverShutdown.js';
import { graceSecondsNeeded, shutdownTimeline, type ShutdownTimeline } from '../../k8s/shutdownTimeline.js';
import type { ContainerView, RuleResult, WorkloadView, YamlPath } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, graceText, preStopOf, seconds } from './support/drain.js';
import { LONG_RUNNING_WORKLOAD_KINDS, objectsOf, workloadViewOf } from './support/edge.js';
import { podSpecPatch } from './support/patches.js';
import { mountedReader, phpFpmTimeout, runsPhpFpm, serverProcessOf, startedArgv } from './support/serverProcess.js';

type Messages = 'drainCutByKill' | 'delayOutlastsGrace';
type Fixes = 'raiseGrace' | 'raiseGraceForDelay';

interface Failing {
  c: ContainerView;
  shutdown: ServerShutdown;
  preStop: number;
  timeline: ShutdownTimeline;
  /** Killed still serving (`delay`), or while draining (`drain`). */
  kind: 'delay' | 'drain';
  /** Seconds the server needs after its stop signal. */
  need: number;
}

/** Where the finding points: the flag or env var as written, else the grace period. */
function valuePath(w: WorkloadView, c: ContainerView, t: ResolvedTimeout): YamlPath {
  const at = t.at;
  if (at?.kind === 'arg') return [...c.path, at.field, at.index];
  if (at?.kind === 'env') {
    const env = Array.isArray(c.container.env) ? c.container.env : [];
    const i = env.findIndex((e) => e.name === at.name);
    if (i >= 0) return [...c.path, 'env', i];
  }
  return gracePath(w);
}

/** The server's shutdown as the input shows it: gunicorn, uvicorn and Caddy by their own words, php-fpm by the image it runs. */
function shutdownOf(c: ContainerView, w: WorkloadView, objects: ReturnType<typeof objectsOf>): ServerShutdown | undefined {
  const read = mountedReader(c, w, objects);
  const image = typeof c.container.image === 'string' ? c.container.image : undefined;
  const officialCaddy = c.dockerfiles.length === 0 && image !== undefined && knownImage(parseImageRef(image))?.id === 'caddy';
  const found = serverShutdownOf(c.container, startedArgv(c), read, officialCaddy);
  if (found) return found;
  const process = serverProcessOf(c);
  if (!runsPhpFpm(process)) return undefined;
  const timeout = phpFpmTimeout(c, w, objects, process!);
  // 0 (php-fpm does not wait at all) is php-fpm-workers-not-awaited's finding.
  return timeout?.seconds ? { server: 'php-fpm', drain: timeout } : undefined;
}

/**
 * The kubelet sends SIGKILL terminationGracePeriodSeconds after the preStop starts
 * (docs/reference/pod-termination.md#per-container-kill). A server that, after its stop signal,
 * keeps serving for a delay (Caddy's shutdown_delay) and then waits up to its own timeout for
 * in-flight requests (gunicorn's graceful_timeout, uvicorn's --timeout-graceful-shutdown, Caddy's
 * grace_period, php-fpm's process_control_timeout) needs that much of the window the preStop
 * leaves; otherwise the kubelet, not the server, ends the drain, and the requests the server was
 * still allowed to finish are cut (docs/reference/signals.md#server-shutdown-timeouts).
 */
export const serverDrainExceedsGrace = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'server-drain-exceeds-grace',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'shutdown',
    summary: "the server's own shutdown timeout plus the preStop outlasts terminationGracePeriodSeconds, so the kubelet SIGKILLs it mid-drain",
    fixable: true,
    messages: {
      drainCutByKill:
        '{{server}} in "{{container}}" finishes in-flight requests for up to {{total}} after its stop signal ({{origin}}{{delay}}), ' +
        'but {{preStopText}} and {{grace}} leave it {{window}} before SIGKILL: requests still running then are cut {{shortfall}} before {{server}} would have given up on them',
      delayOutlastsGrace:
        '{{server}} in "{{container}}" keeps serving for {{delaySeconds}} after its stop signal ({{delayOrigin}}) before it starts draining, ' +
        'but {{preStopText}} and {{grace}} leave it {{window}} before SIGKILL: it is killed while still serving, cutting every request in flight',
    },
    fixes: {
      raiseGrace:
        'set terminationGracePeriodSeconds to at least {{needed}} ({{preStop}} preStop + {{total}} of {{server}} shutdown), or lower {{setting}} to fit in the {{window}} the pod leaves it',
      raiseGraceForDelay:
        'set terminationGracePeriodSeconds to at least {{needed}} ({{preStop}} preStop + {{delaySeconds}} shutdown_delay + {{drain}} to drain), or shorten shutdown_delay: with a preStop sleep in front, Caddy needs little or none',
    },
  },
  check(view, _settings, all) {
    const w = workloadViewOf(view, all.workloads);
    if (!w?.serving) return [];
    const objects = objectsOf(all.objects);
    const grace = graceOf(w);
    const failing = longRunningContainers(w).flatMap((c): Failing[] => {
      const shutdown = shutdownOf(c, w, objects);
      if (!shutdown) return [];
      const preStop = preStopDelaySeconds(preStopOf(c)) ?? 0;
      const timeline = shutdownTimeline(grace.seconds, preStop);
      const delay = shutdown.delay?.seconds ?? 0;
      const drain = shutdown.drain.seconds;
      if (delay > 0 && timeline.appWindow <= delay) return [{ c, shutdown, preStop, timeline, kind: 'delay', need: delay + (drain ?? w.drainSeconds) }];
      if (drain !== undefined && delay + drain > timeline.appWindow) return [{ c, shutdown, preStop, timeline, kind: 'drain', need: delay + drain }];
      return [];
    });
    if (failing.length === 0) return [];
    const needed = Math.max(...failing.map((f) => graceSecondsNeeded(f.preStop, f.need)));
    const patch = podSpecPatch(w, { terminationGracePeriodSeconds: needed });
    return failing.map(({ c, shutdown, preStop, timeline, kind, need }): RuleResult<Messages, Fixes> => {
      const common = {
        server: shutdown.server,
        container: c.name,
        preStop: seconds(preStop),
        preStopText: preStop > 0 ? `a preStop of ${seconds(preStop)}` : 'no preStop delay',
        grace: graceText(w),
        window: seconds(timeline.appWindow),
        needed,
      };
      if (kind === 'delay') {
        const d = shutdown.delay!;
        return {
          path: gracePath(w),
          container: c.name,
          messageId: 'delayOutlastsGrace',
          data: { ...common, delaySeconds: seconds(d.seconds!), delayOrigin: d.origin, drain: seconds(need - d.seconds!) },
          fixId: 'raiseGraceForDelay',
          patch,
        };
      }
      const delay = shutdown.delay?.seconds ? `, after shutdown_delay ${seconds(shutdown.delay.seconds)}` : '';
      return {
        path: valuePath(w, c, shutdown.drain),
        container: c.name,
        messageId: 'drainCutByKill',
        data: {
          ...common,
          total: seconds(need),
          origin: shutdown.drain.origin,
          delay,
          shortfall: seconds(need - timeline.appWindow),
          setting: shutdown.drain.setting.setting,
        },
        fixId: 'raiseGrace',
        patch,
      };
    });
  },
});

export default serverDrainExceedsGrace;
