/**
 * What a preStop hook does to the shutdown timeline, and which delay form a target version supports
 * (docs/reference/pod-termination.md#kubelet-sequence, docs/reference/feature-versions.md#sleep-action, docs/reference/feature-versions.md#zero-sleep). Shared by the auditor (findings and fixes) and the lab.
 */
import { featureAvailable, type KubernetesVersion } from './features.js';
import { parseImageRef } from './imageRef.js';
import { isShellless } from './images.js';
import { preStopDelaySeconds, type LifecycleHandler } from './objects.js';
import { contourShutdownManagerHook, knownHookEffect, type HookContext } from './preStopHooks.js';
import { shellInvocation } from './pid1.js';
import { literalArgv, scriptShape } from './shellScript.js';

export type PreStopShape =
  /** `lifecycle.preStop.sleep`: run by the kubelet, no binary needed (docs/reference/feature-versions.md#sleep-action). */
  | { kind: 'sleep-action'; seconds: number }
  /** `exec` running `sleep N` (directly or inside a shell): needs a `sleep` binary in the image. */
  | { kind: 'exec-sleep'; seconds: number; command: string[] }
  /**
   * `exec` that only sends a signal or a control command and returns at once (`nginx -s quit`,
   * `kill -QUIT 1`, `apachectl -k graceful-stop`): the kubelet sends the stop signal as soon as the
   * hook returns (docs/reference/pod-termination.md#per-container-kill), so nothing waits for endpoint removal (kubernetes/website#1414).
   */
  | { kind: 'signal-and-return'; command: string[]; what: string }
  /**
   * A known hook that makes the server stop accepting before anything waits for endpoint removal
   * (ingress-nginx's `/wait-shutdown` without `--shutdown-grace-period`, `kong quit` without `--wait`).
   */
  | { kind: 'stops-server-first'; command: string[]; what: string; fix: 'shutdownGracePeriod' | 'kongWait' }
  /**
   * Anything we cannot time as a sleep: `waits` for a deliberate wait (a loop, `wait`, a known hook
   * that drains or delays), `unknown` for a binary or an HTTP endpoint zerodrop does not know.
   */
  | { kind: 'opaque'; delay: 'waits' | 'unknown'; what: string };

/** Shell constructs that make a preStop wait for something (a loop, `wait`, `sleep`, polling). */
const WAITS = /\b(sleep|wait|while|until|timeout|tail\s+--pid|inotifywait)\b/;

const RETURNS_AT_ONCE: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /\bnginx\b.*\s-s\s+(quit|stop)\b/, what: 'nginx -s only sends a signal to the master process and returns' },
  { pattern: /\bopenresty\b.*\s-s\s+(quit|stop)\b/, what: 'openresty -s only sends a signal to the master process and returns' },
  { pattern: /\b(apachectl|apache2ctl|httpd)\b.*\s-k\s+(graceful-stop|stop)\b/, what: 'apachectl -k only signals httpd and returns' },
  { pattern: /(^|[\s;&|])(kill|pkill|killall)\s/, what: 'kill only sends a signal and returns' },
  { pattern: /\bnginx\b.*\s-s\s+(reload|reopen)\b/, what: 'nginx -s only sends a signal to the master process and returns' },
];

/** The words of the hook's one command: the argv itself, or the lone literal command of `sh -c SCRIPT`. */
function hookArgv(cmd: readonly string[]): string[] {
  const sh = shellInvocation(cmd);
  if (sh?.script === undefined) return [...cmd];
  const shape = scriptShape(sh.script);
  const only = shape?.commandCount === 1 && shape.last.kind === 'simple' ? literalArgv(shape.last) : undefined;
  return only ?? [...cmd];
}

export function classifyPreStop(handler: LifecycleHandler, ctx: HookContext = {}): PreStopShape {
  if (handler.sleep && typeof handler.sleep.seconds === 'number') return { kind: 'sleep-action', seconds: handler.sleep.seconds };
  const command = handler.exec?.command;
  if (Array.isArray(command)) {
    const cmd = command.map(String);
    const seconds = preStopDelaySeconds(handler);
    if (seconds !== undefined) return { kind: 'exec-sleep', seconds, command: cmd };
    const known = knownHookEffect(hookArgv(cmd), ctx);
    if (known?.effect === 'stops-server-first') return { kind: 'stops-server-first', command: cmd, what: known.what, fix: known.fix };
    if (known) return { kind: 'opaque', delay: 'waits', what: known.what };
    const joined = cmd.join(' ');
    if (WAITS.test(joined)) return { kind: 'opaque', delay: 'waits', what: `"${joined}" waits` };
    for (const r of RETURNS_AT_ONCE) if (r.pattern.test(joined)) return { kind: 'signal-and-return', command: cmd, what: r.what };
    return { kind: 'opaque', delay: 'unknown', what: `exec "${joined}"` };
  }
  const http = handler.httpGet as { path?: unknown; port?: unknown } | undefined;
  if (http && typeof http === 'object') {
    const known = contourShutdownManagerHook(http.path, ctx);
    if (known) return { kind: 'opaque', delay: 'waits', what: known.what };
    return { kind: 'opaque', delay: 'unknown', what: `an HTTP GET of ${typeof http.path === 'string' ? http.path : '/'} on port ${String(http.port)}` };
  }
  return { kind: 'opaque', delay: 'unknown', what: 'a handler zerodrop does not know' };
}

/** The executable an exec hook runs first (`/bin/sleep` → `/bin/sleep`, `sh -c ...` → `sh`). */
export function execBinary(handler: LifecycleHandler): string | undefined {
  const command = handler.exec?.command;
  const first = Array.isArray(command) ? command[0] : undefined;
  return typeof first === 'string' ? first : undefined;
}

/**
 * A preStop handler that delays shutdown by `seconds` in the form the target version supports:
 * the kubelet-run `sleep` action from 1.30 (docs/reference/feature-versions.md#sleep-action), else `exec sleep N`, which needs a `sleep`
 * binary, so undefined for shell-less images (distroless, scratch) on older versions.
 */
export function preStopDelayHandler(seconds: number, version: KubernetesVersion, image: string | undefined): LifecycleHandler | undefined {
  const whole = Math.max(1, Math.ceil(seconds));
  if (featureAvailable('sleepAction', version)) return { sleep: { seconds: whole } };
  if (image !== undefined && isShellless(parseImageRef(image))) return undefined;
  return { exec: { command: ['sleep', String(whole)] } };
}
