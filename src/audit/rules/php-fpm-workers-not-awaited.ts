import { preStopDelaySeconds } from '../../k8s/objects.js';
import { shutdownTimeline } from '../../k8s/shutdownTimeline.js';
import type { RuleResult } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, preStopOf } from './support/drain.js';
import { LONG_RUNNING_WORKLOAD_KINDS, objectsOf, workloadViewOf } from './support/edge.js';
import { phpFpmTimeout, runsPhpFpm, serverProcessOf } from './support/serverProcess.js';

/**
 * Rule of Uptime 2, past the signal: php-fpm's graceful stop is SIGQUIT (stop-signal-mismatch
 * checks that the image sends it), but on SIGQUIT the master waits only
 * `process_control_timeout` for its workers to finish their requests before it sends them
 * SIGTERM, which kills them at once; the default is 0, so nothing is waited for
 * (php-src sapi/fpm/fpm/fpm_process_ctl.c, fpm_signals.c; docs/reference/signals.md#php-fpm).
 * Judged where the input shows the whole config: the official php:*-fpm image, whose own files
 * leave the setting unset, with the ConfigMaps mounted over its php-fpm.conf and php-fpm.d/.
 */
export const phpFpmWorkersNotAwaited = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'php-fpm-workers-not-awaited',
    ruleOfUptime: 2,
    severity: 'warning',
    looksAt: 'images',
    summary: 'php-fpm with process_control_timeout 0 (the default) kills its workers mid-request even on the graceful SIGQUIT',
    messages: {
      notAwaited:
        'php-fpm in "{{container}}" does not wait for its workers when it stops ({{origin}}): on SIGQUIT the master sends them SIGTERM at once, ' +
        'so every request still running after the preStop is cut and the web server in front answers 502 during each rollout',
    },
    fixes: {
      setTimeout:
        'set it in the [global] section of a file php-fpm reads (e.g. mount a php-fpm.d/zz-shutdown.conf holding "[global]" and ' +
        '"process_control_timeout = {{suggested}}s"), at most the {{window}} the preStop and terminationGracePeriodSeconds leave php-fpm',
    },
  },
  check(view, _settings, all) {
    const w = workloadViewOf(view, all.workloads);
    if (!w?.serving) return [];
    const objects = objectsOf(all.objects);
    const out: RuleResult<'notAwaited', 'setTimeout'>[] = [];
    for (const c of longRunningContainers(w)) {
      const process = serverProcessOf(c);
      if (!runsPhpFpm(process)) continue;
      const timeout = phpFpmTimeout(c, w, objects, process!);
      if (timeout?.seconds !== 0) continue;
      const timeline = shutdownTimeline(graceOf(w).seconds, preStopDelaySeconds(preStopOf(c)) ?? 0);
      out.push({
        path: timeout.written && c.container.volumeMounts ? [...c.path, 'volumeMounts'] : [...c.path, 'image'],
        container: c.name,
        messageId: 'notAwaited',
        data: {
          container: c.name,
          origin: timeout.origin,
          window: `${timeline.appWindow} s`,
          suggested: Math.max(1, Math.floor(timeline.appWindow) - 1),
        },
        fixId: 'setTimeout',
      });
    }
    return out;
  },
});

export default phpFpmWorkersNotAwaited;
