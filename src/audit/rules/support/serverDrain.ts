/**
 * server-drain-exceeds-grace for application servers configured by their own words: gunicorn's
 * graceful_timeout, uvicorn's --timeout-graceful-shutdown, Caddy's shutdown_delay and
 * grace_period (src/k8s/serverShutdown.ts), and php-fpm's process_control_timeout by the image it
 * runs (docs/reference/signals.md#server-shutdown-timeouts). A server that keeps serving for a
 * delay and then waits up to its timeout needs that much of the window the preStop leaves.
 */
import { containerServerShutdown } from '../../../k8s/containerShutdown.js';
import { viewedServerShutdown } from '../../views.js';
import type { KubeObject } from '../../../k8s/objects.js';
import type { ResolvedTimeout, ServerShutdown } from '../../../k8s/serverShutdown.js';
import type { ContainerView, WorkloadView, YamlPath } from '../../types.js';
import { gracePath, seconds } from './drain.js';
import { phpFpmTimeout, runsPhpFpm, serverProcessOf } from './serverProcess.js';
import { graceFinding, windowOf, type DrainFinding } from './shutdownBudget.js';

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
function shutdownOf(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): ServerShutdown | undefined {
  const viewed = viewedServerShutdown(c);
  const found = viewed.known
    ? viewed.shutdown
    : containerServerShutdown(c.container, { podSpec: w.podSpec, namespace: w.namespace, objects }, c.dockerfiles.length > 0);
  if (found) return found;
  const process = serverProcessOf(c);
  if (!runsPhpFpm(process)) return undefined;
  const timeout = phpFpmTimeout(c, w, objects, process!);
  // 0 (php-fpm does not wait at all) is php-fpm-workers-not-awaited's finding.
  return timeout?.seconds ? { server: 'php-fpm', drain: timeout } : undefined;
}

/**
 * Killed while still serving (Caddy's shutdown_delay reaches past the window), or while draining
 * (the delay plus the server's own timeout does).
 */
export function serverDrainFinding(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): DrainFinding | undefined {
  const shutdown = shutdownOf(c, w, objects);
  if (!shutdown) return undefined;
  const window = windowOf(w, c);
  const delay = shutdown.delay?.seconds ?? 0;
  const drain = shutdown.drain.seconds;
  if (delay > 0 && window.appWindow <= delay) {
    const need = delay + (drain ?? w.drainSeconds);
    return graceFinding(w, c, window, need, {
      path: gracePath(w),
      messageId: 'delayOutlastsGrace',
      data: { server: shutdown.server, delaySeconds: seconds(delay), delayOrigin: shutdown.delay!.origin, drain: seconds(need - delay) },
      fixId: 'raiseGraceForDelay',
    });
  }
  if (drain === undefined || delay + drain <= window.appWindow) return undefined;
  const need = delay + drain;
  return graceFinding(w, c, window, need, {
    path: valuePath(w, c, shutdown.drain),
    messageId: 'drainCutByKill',
    data: {
      server: shutdown.server,
      total: seconds(need),
      origin: shutdown.drain.origin,
      delay: delay > 0 ? `, after shutdown_delay ${seconds(delay)}` : '',
      shortfall: seconds(need - window.appWindow),
      setting: shutdown.drain.setting.setting,
    },
    fixId: 'raiseGrace',
  });
}
