/**
 * preStop sleeps: what counts as a pure sleep, how to change its seconds, and the one patch the
 * drain rules give a sleep shorter than the slowest traffic path, shared so their fixes agree.
 */
import { featureAvailable } from '../../../k8s/features.js';
import { classifyPreStop } from '../../../k8s/preStop.js';
import type { AuditSettings, ContainerView, StrategicPatch, WorkloadView, YamlPath } from '../../types.js';
import { graceFieldsFor, imageIsShellless, preStopOf, preStopPath } from './drain.js';
import { containerPatch } from './patches.js';

/** exec commands that do nothing but sleep: `sleep N`, `/bin/sleep N`, `sh -c "sleep N"`. */
export function isPureSleep(command: string[]): boolean {
  const joined = command.join(' ').trim();
  return /^(\/\S*\/)?sleep\s+\d+(\.\d+)?s?$/.test(joined) || /^(\/\S*\/)?(sh|bash|ash|dash)\s+-c\s+(\/\S*\/)?sleep\s+\d+(\.\d+)?s?$/.test(joined);
}

/** `sleep N` with N replaced, whether N is its own argument or inside a shell script. */
export function withSleepSeconds(command: string[], n: number): string[] {
  return command.map((arg, i) => {
    const prev = i > 0 ? command[i - 1] : undefined;
    if (prev !== undefined && /(^|\/)sleep$/.test(prev) && /^\d+(\.\d+)?s?$/.test(arg)) return String(n);
    return arg.replace(/(^|[\s;&|/])sleep\s+\d+(\.\d+)?s?\b/, (_m, lead: string) => `${lead}sleep ${n}`);
  });
}

/** Whether the kubelet can run the sleep action for this container (1.30+, an image with or without a shell). */
export function sleepActionPreferred(c: ContainerView, settings: AuditSettings): boolean {
  return featureAvailable('sleepAction', settings.kubernetesVersion) && !imageIsShellless(c);
}

/**
 * A preStop sleep (the sleep action, or `sleep N` in an exec hook) shorter than `target` seconds:
 * where it is, and the patch that sleeps `target` (rounded up) with a grace period that covers it.
 * prestop-shorter-than-propagation and local-traffic-policy-drops report it (one or the other).
 */
export function shortPreStop(
  c: ContainerView,
  w: WorkloadView,
  target: number,
  settings: AuditSettings,
): { at: YamlPath; preStop: number; wanted: number; patch: StrategicPatch | undefined } | undefined {
  const handler = preStopOf(c);
  if (!handler) return undefined;
  const shape = classifyPreStop(handler);
  if ((shape.kind !== 'sleep-action' && shape.kind !== 'exec-sleep') || shape.seconds >= target) return undefined;
  const wanted = Math.ceil(target);
  // A pure exec sleep becomes the sleep action where prestop-prefer-sleep-action would ask for it, so the two fixes agree.
  const preStop =
    shape.kind === 'sleep-action'
      ? { sleep: { seconds: wanted } }
      : sleepActionPreferred(c, settings) && isPureSleep(shape.command)
        ? { exec: null, sleep: { seconds: wanted } }
        : { exec: { command: withSleepSeconds(shape.command, wanted) } };
  return {
    at: shape.kind === 'sleep-action' ? [...preStopPath(c), 'sleep', 'seconds'] : [...preStopPath(c), 'exec', 'command'],
    preStop: shape.seconds,
    wanted,
    patch: containerPatch(w, c, { lifecycle: { preStop } }, graceFieldsFor(w, c, wanted)),
  };
}
