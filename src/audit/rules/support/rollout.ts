import { deploymentDefaults } from '../../../k8s/apiDefaults.js';
import { resolveFenceposts, type Fenceposts } from '../../../k8s/fenceposts.js';
import { isLiteralZero, type IntOrPercent } from '../../../k8s/intOrPercent.js';
import type { KubeObject } from '../../../k8s/objects.js';
import { argoStrategyOf, canaryFenceposts } from '../../../k8s/argoRollouts.js';
import { deploymentConfigFenceposts, deploymentConfigStrategyOf } from '../../../k8s/deploymentConfig.js';
import type { StrategicPatch, WorkloadView, YamlPath } from '../../types.js';
import { workloadSpecPatch } from './patches.js';

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

/**
 * A replica-bounded rolling update of the kinds that have one, in one shape: a Deployment's
 * RollingUpdate, an Argo Rollouts basic canary (no trafficRouting: its Services select stable and
 * canary pods alike, src/k8s/argoRollouts.ts) and a DeploymentConfig's Rolling strategy
 * (src/k8s/deploymentConfig.ts). All three resolve their fenceposts the same way.
 */
export interface RollingArithmetic {
  kind: 'Deployment' | 'Rollout' | 'DeploymentConfig';
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  surgeSet: boolean;
  unavailableSet: boolean;
  fenceposts: Fenceposts;
  /** Where maxUnavailable is written, or would be. */
  unavailablePath: YamlPath;
  /** The spec patch that sets maxUnavailable 0, and maxSurge 1 when surge resolved to 0. */
  noUnavailablePatch: (withSurge: boolean) => StrategicPatch;
}

export function rollingArithmeticOf(w: Pick<WorkloadView, 'kind' | 'object' | 'apiVersion'>, replicas: number): RollingArithmetic | undefined {
  const surge1 = (withSurge: boolean) => (withSurge ? { maxSurge: 1 } : {});
  if (w.kind === 'Deployment') {
    const r = deploymentRollout(w.object, w.apiVersion, replicas);
    if (!r.fenceposts) return undefined;
    return {
      kind: 'Deployment',
      ...r,
      fenceposts: r.fenceposts,
      unavailablePath: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
      noUnavailablePatch: (s) => workloadSpecPatch({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, ...surge1(s) } } }),
    };
  }
  if (w.kind === 'Rollout') {
    const a = argoStrategyOf(w.object);
    if (a?.strategy !== 'canary' || a.trafficRouted) return undefined;
    const f = canaryFenceposts(a, replicas);
    if (!f) return undefined;
    return {
      kind: 'Rollout',
      maxSurge: a.maxSurge,
      maxUnavailable: a.maxUnavailable,
      surgeSet: a.surgeSet,
      unavailableSet: a.unavailableSet,
      fenceposts: f,
      unavailablePath: ['spec', 'strategy', 'canary', 'maxUnavailable'],
      noUnavailablePatch: (s) => workloadSpecPatch({ strategy: { canary: { maxUnavailable: 0, ...surge1(s) } } }),
    };
  }
  if (w.kind === 'DeploymentConfig') {
    const d = deploymentConfigStrategyOf(w.object);
    const f = deploymentConfigFenceposts(d, replicas);
    if (!f || d.maxSurge === undefined || d.maxUnavailable === undefined) return undefined;
    return {
      kind: 'DeploymentConfig',
      maxSurge: d.maxSurge,
      maxUnavailable: d.maxUnavailable,
      surgeSet: d.surgeSet,
      unavailableSet: d.unavailableSet,
      fenceposts: f,
      unavailablePath: ['spec', 'strategy', 'rollingParams', 'maxUnavailable'],
      noUnavailablePatch: (s) => workloadSpecPatch({ strategy: { type: 'Rolling', rollingParams: { maxUnavailable: 0, ...surge1(s) } } }),
    };
  }
  return undefined;
}

/** How the rollout surges: `maxSurge N` and whether, with no pod unavailable, it can never proceed; undefined when it does not surge. */
export function surgeOf(w: WorkloadView): { surge: string; stallsForever: boolean } | undefined {
  // A Rollout's basic canary surges like a Deployment. Blue-green and traffic-routed canaries
  // start a second full-size ReplicaSet instead, which these messages do not describe (yet).
  if ((w.kind === 'Deployment' || w.kind === 'Rollout') && w.replicas) {
    const f = rollingArithmeticOf(w, w.replicas)?.fenceposts;
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
