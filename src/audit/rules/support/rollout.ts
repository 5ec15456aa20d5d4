import { deploymentDefaults } from '../../../k8s/apiDefaults.js';
import { resolveFenceposts, type Fenceposts } from '../../../k8s/fenceposts.js';
import { isLiteralZero, type IntOrPercent } from '../../../k8s/intOrPercent.js';
import type { KubeObject } from '../../../k8s/objects.js';
import type { WorkloadView } from '../../types.js';

export interface DeploymentRollout {
  type: string;
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  surgeSet: boolean;
  unavailableSet: boolean;
  /** undefined for Recreate, or when a value is not a valid int-or-percent (validation's job). */
  fenceposts: Fenceposts | undefined;
}

/** An int-or-percent field as written, or undefined when it has another type (validation's job). */
export function intOrPercent(v: unknown): IntOrPercent | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/** A Deployment's strategy with per-apiVersion defaults for unset fields (docs/reference/workload-updates.md#deployment-rollingupdate, docs/reference/workload-updates.md#defaults-by-api-version). */
export function deploymentRollout(obj: KubeObject, apiVersion: string, replicas: number): DeploymentRollout {
  const defaults = deploymentDefaults(apiVersion);
  const strategy = (obj.spec?.strategy ?? {}) as { type?: unknown; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } };
  const type = typeof strategy.type === 'string' ? strategy.type : defaults.strategyType;
  const surge = intOrPercent(strategy.rollingUpdate?.maxSurge);
  const unavailable = intOrPercent(strategy.rollingUpdate?.maxUnavailable);
  const maxSurge = surge ?? defaults.maxSurge;
  const maxUnavailable = unavailable ?? defaults.maxUnavailable;
  let fenceposts: Fenceposts | undefined;
  if (type === 'RollingUpdate') {
    try {
      fenceposts = resolveFenceposts(replicas, maxSurge, maxUnavailable);
    } catch {
      fenceposts = undefined;
    }
  }
  return { type, maxSurge, maxUnavailable, surgeSet: surge !== undefined, unavailableSet: unavailable !== undefined, fenceposts };
}

/** DaemonSet updateStrategy (docs/reference/workload-updates.md#daemonset): RollingUpdate by default, maxSurge 0, maxUnavailable 1. */
export function daemonSetRollout(obj: KubeObject): { type: string; maxSurge: IntOrPercent; surgeSet: boolean } {
  const strategy = (obj.spec?.updateStrategy ?? {}) as { type?: unknown; rollingUpdate?: { maxSurge?: unknown } };
  const surge = intOrPercent(strategy.rollingUpdate?.maxSurge);
  return { type: typeof strategy.type === 'string' ? strategy.type : 'RollingUpdate', maxSurge: surge ?? 0, surgeSet: surge !== undefined };
}

/** How the rollout surges: `maxSurge N` and whether, with no pod unavailable, it can never proceed; undefined when it does not surge. */
export function surgeOf(w: WorkloadView): { surge: string; stallsForever: boolean } | undefined {
  if (w.kind === 'Deployment' && w.replicas) {
    const f = deploymentRollout(w.object, w.apiVersion, w.replicas).fenceposts;
    if (!f || f.maxSurge === 0) return undefined;
    return { surge: `maxSurge ${f.maxSurge}`, stallsForever: f.maxUnavailable === 0 };
  }
  if (w.kind === 'DaemonSet') {
    const r = daemonSetRollout(w.object);
    if (r.type !== 'RollingUpdate' || isLiteralZero(r.maxSurge)) return undefined;
    return { surge: `maxSurge ${r.maxSurge}`, stallsForever: false };
  }
  return undefined;
}
