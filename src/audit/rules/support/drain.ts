import { effectiveGraceSeconds, graceSecondsNeeded } from '../../../k8s/shutdownTimeline.js';
import { parseImageRef } from '../../../k8s/imageRef.js';
import { isShellless } from '../../../k8s/images.js';
import { preStopDelaySeconds, type LifecycleHandler } from '../../../k8s/objects.js';
import { classifyPreStop, type PreStopShape } from '../../../k8s/preStop.js';
import type { ContainerView, WorkloadView, YamlPath } from '../../types.js';
import { commandLineOf, trafficContainers } from './containers.js';

export function preStopOf(c: ContainerView): LifecycleHandler | undefined {
  const h = c.container.lifecycle?.preStop;
  return h && typeof h === 'object' ? h : undefined;
}

/** What the container's preStop does, read with its own command line and its pod's (known hooks depend on flags and sibling containers). */
export function preStopShapeOf(c: ContainerView, w: WorkloadView): PreStopShape | undefined {
  const handler = preStopOf(c);
  if (!handler) return undefined;
  const argvOf = (x: ContainerView) => {
    const { command, args } = commandLineOf(x);
    return [...(command ?? []), ...args];
  };
  return classifyPreStop(handler, { containerArgv: argvOf(c), podArgvs: w.containers.map(argvOf) });
}

/** Path to the preStop hook, or to the nearest parent that should hold it. */
export function preStopPath(c: ContainerView): YamlPath {
  const lifecycle = c.container.lifecycle;
  if (!lifecycle || typeof lifecycle !== 'object') return c.path;
  if (!lifecycle.preStop) return [...c.path, 'lifecycle'];
  return [...c.path, 'lifecycle', 'preStop'];
}

/** terminationGracePeriodSeconds as set, and as the kubelet uses it (default 30, docs/reference/pod-termination.md#grace-period). */
export function graceOf(w: WorkloadView): { seconds: number; explicit: boolean; written: number | undefined } {
  const raw = w.podSpec.terminationGracePeriodSeconds;
  const explicit = typeof raw === 'number';
  return { seconds: effectiveGraceSeconds(explicit ? raw : undefined), explicit, written: explicit ? raw : undefined };
}

/**
 * The grace period as the file says it, then as the kubelet uses it when that differs:
 * `terminationGracePeriodSeconds: 0, which the kubelet treats as 1 s`.
 */
export function graceText(w: WorkloadView): string {
  const g = graceOf(w);
  if (g.written === undefined) return `terminationGracePeriodSeconds ${g.seconds} (unset, the default)`;
  if (g.written !== g.seconds) return `terminationGracePeriodSeconds: ${g.written}, which the kubelet treats as ${seconds(g.seconds)}`;
  return `terminationGracePeriodSeconds ${g.seconds}`;
}

export function gracePath(w: WorkloadView): YamlPath {
  return graceOf(w).explicit ? [...w.podSpecPath, 'terminationGracePeriodSeconds'] : w.podSpecPath;
}

/**
 * Pod-wide grace period every container needs once container `changed` gets a preStop of
 * `preStopSeconds` (the grace period is pod-wide: take the max, docs/reference/linters.md#pod-wide-grace-period).
 * Returns no fields when the current grace period already suffices.
 */
export function graceFieldsFor(
  w: WorkloadView,
  changed: ContainerView | undefined,
  preStopSeconds: number,
): { terminationGracePeriodSeconds: number } | Record<string, never> {
  let needed = 0;
  // The same containers grace-period-exhausted judges, so a patch never trips that rule.
  for (const c of trafficContainers(w)) {
    const p = c === changed ? preStopSeconds : (preStopDelaySeconds(preStopOf(c)) ?? 0);
    needed = Math.max(needed, graceSecondsNeeded(p, w.drainSeconds));
  }
  return needed > graceOf(w).seconds ? { terminationGracePeriodSeconds: needed } : {};
}

/** Whether the container's image (or a Dockerfile built for it) has no shell and no `sleep` (docs/reference/feature-versions.md#sleep-action). */
export function imageIsShellless(c: ContainerView): boolean {
  if (typeof c.container.image === 'string' && isShellless(parseImageRef(c.container.image))) return true;
  return c.dockerfiles.some((d) => d.finalBaseImage !== undefined && isShellless(parseImageRef(d.finalBaseImage)));
}

export function seconds(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)} s`;
}
