/**
 * Argo Rollouts `Rollout` (`argoproj.io/v1alpha1`) update semantics, read from its spec with the
 * controller's defaults (docs/reference/argo-rollouts-and-deploymentconfig.md#argo-rollouts;
 * code: argo-rollouts pkg/apis/rollouts/v1alpha1/types.go, utils/defaults/defaults.go,
 * utils/replicaset/replicaset.go `resolveFenceposts`, utils/replicaset/canary.go).
 *
 * A Rollout updates in one of two ways:
 * - canary: without `trafficRouting` ("basic canary") the Services select stable and canary pods
 *   alike and the controller scales the two ReplicaSets within `maxSurge`/`maxUnavailable`
 *   (defaults 25%/25%, resolved like a Deployment's); with `trafficRouting` the router splits
 *   traffic by weight, the stable ReplicaSet stays at full size (unless `dynamicStableScale`), and
 *   the previous stable is scaled down `scaleDownDelaySeconds` (default 30) after the stable
 *   Service's selector moves to the new pods;
 * - blueGreen: the new ReplicaSet is brought to full size (or `previewReplicaCount`) behind the
 *   preview Service, the active Service's selector is switched at promotion, and the old ReplicaSet
 *   is scaled down `scaleDownDelaySeconds` (default 30) later.
 */
import { resolveFenceposts, type Fenceposts } from './fenceposts.js';
import type { IntOrPercent } from './intOrPercent.js';
import type { KubeObject } from './objects.js';

/** `defaults.DefaultScaleDownDelaySeconds` and `DefaultAbortScaleDownDelaySeconds`. */
export const ARGO_DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
export const ARGO_DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;
/** `defaults.DefaultProgressDeadlineSeconds`. */
export const ARGO_DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** `defaults.DefaultMaxSurge` / `DefaultMaxUnavailable`: the string "25", read as 25% (below). */
export const ARGO_DEFAULT_MAX_SURGE = '25%';
export const ARGO_DEFAULT_MAX_UNAVAILABLE = '25%';

/** The traffic routers `RolloutTrafficRouting` names (its field names). */
export const ARGO_TRAFFIC_ROUTERS = ['alb', 'nginx', 'istio', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix', 'plugins'] as const;
export type ArgoTrafficRouter = (typeof ARGO_TRAFFIC_ROUTERS)[number];

export interface ArgoCanary {
  strategy: 'canary';
  /** The routers configured under `trafficRouting`; empty for a basic canary. */
  trafficRouters: ArgoTrafficRouter[];
  /** `trafficRouting` is present at all (validation needs a router in it; we only need the key). */
  trafficRouted: boolean;
  dynamicStableScale: boolean;
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  surgeSet: boolean;
  unavailableSet: boolean;
  /** Seconds between the stable Service switch and the old stable's scale-down; undefined for a basic canary (not applicable, and rejected by validation). */
  scaleDownDelaySeconds: number | undefined;
  scaleDownDelaySet: boolean;
  /** Seconds before the canary is scaled down on abort; `never` for 0; undefined for a basic canary. */
  abortScaleDownDelaySeconds: number | 'never' | undefined;
  abortScaleDownDelaySet: boolean;
  stableService: string | undefined;
  canaryService: string | undefined;
}

export interface ArgoBlueGreen {
  strategy: 'blueGreen';
  activeService: string | undefined;
  previewService: string | undefined;
  /** Pods of the new ReplicaSet before promotion; undefined: the full replica count. */
  previewReplicaCount: number | undefined;
  /** `defaults.DefaultAutoPromotionEnabled`: true. */
  autoPromotionEnabled: boolean;
  scaleDownDelaySeconds: number;
  scaleDownDelaySet: boolean;
  abortScaleDownDelaySeconds: number | 'never';
  abortScaleDownDelaySet: boolean;
  /**
   * With `scaleDownDelaySeconds` unset and a `postPromotionAnalysis`, the old ReplicaSet is scaled
   * down when the analysis completes, 30 s at the least (https://argoproj.github.io/argo-rollouts/features/bluegreen/): the delay is
   * then only known to be at least 30.
   */
  scaleDownWaitsForAnalysis: boolean;
}

export type ArgoStrategy = ArgoCanary | ArgoBlueGreen;

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const intOrPercentOf = (v: unknown): IntOrPercent | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);
const secondsOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const nameOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The Rollout's strategy with the controller's defaults; undefined when `spec.strategy` has neither
 * `canary` nor `blueGreen` (validation rejects it).
 */
export function argoStrategyOf(rollout: KubeObject): ArgoStrategy | undefined {
  const strategy = rollout.spec?.strategy;
  if (!isRecord(strategy)) return undefined;
  if (isRecord(strategy.blueGreen)) {
    const bg = strategy.blueGreen;
    const delay = secondsOf(bg.scaleDownDelaySeconds);
    const abort = secondsOf(bg.abortScaleDownDelaySeconds);
    return {
      strategy: 'blueGreen',
      activeService: nameOf(bg.activeService),
      previewService: nameOf(bg.previewService),
      previewReplicaCount: secondsOf(bg.previewReplicaCount),
      autoPromotionEnabled: typeof bg.autoPromotionEnabled === 'boolean' ? bg.autoPromotionEnabled : true,
      scaleDownDelaySeconds: delay ?? ARGO_DEFAULT_SCALE_DOWN_DELAY_SECONDS,
      scaleDownDelaySet: delay !== undefined,
      // "0 means not to scale down" (types.go): the preview pods stay up after an abort.
      abortScaleDownDelaySeconds: abort === 0 ? 'never' : (abort ?? ARGO_DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS),
      abortScaleDownDelaySet: abort !== undefined,
      scaleDownWaitsForAnalysis: delay === undefined && isRecord(bg.postPromotionAnalysis),
    };
  }
  if (isRecord(strategy.canary)) {
    const c = strategy.canary;
    const routing = isRecord(c.trafficRouting) ? c.trafficRouting : undefined;
    const routers = routing ? ARGO_TRAFFIC_ROUTERS.filter((r) => routing[r] !== undefined && routing[r] !== null) : [];
    const surge = intOrPercentOf(c.maxSurge);
    const unavailable = intOrPercentOf(c.maxUnavailable);
    const delay = secondsOf(c.scaleDownDelaySeconds);
    const abort = secondsOf(c.abortScaleDownDelaySeconds);
    return {
      strategy: 'canary',
      trafficRouters: routers,
      trafficRouted: routing !== undefined,
      dynamicStableScale: c.dynamicStableScale === true,
      maxSurge: surge ?? ARGO_DEFAULT_MAX_SURGE,
      maxUnavailable: unavailable ?? ARGO_DEFAULT_MAX_UNAVAILABLE,
      surgeSet: surge !== undefined,
      unavailableSet: unavailable !== undefined,
      scaleDownDelaySeconds: routing ? (delay ?? ARGO_DEFAULT_SCALE_DOWN_DELAY_SECONDS) : undefined,
      scaleDownDelaySet: delay !== undefined,
      abortScaleDownDelaySeconds: routing ? (abort === 0 ? 'never' : (abort ?? ARGO_DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS)) : undefined,
      abortScaleDownDelaySet: abort !== undefined,
      stableService: nameOf(c.stableService),
      canaryService: nameOf(c.canaryService),
    };
  }
  return undefined;
}

/**
 * An int-or-percent as Argo Rollouts reads it: `intstr.GetValueFromIntOrPercent`, the legacy
 * apimachinery parser, strips every `%` from a string and reads the rest as a percentage, so
 * `"1"` (quoted) is 1%, not one pod, where a Deployment's API server would reject it. Numbers are
 * pod counts. Returns undefined for anything else (validation's job).
 */
export function argoIntOrPercent(value: IntOrPercent): IntOrPercent | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const digits = value.replaceAll('%', '');
  return /^\d+$/.test(digits) ? `${Number(digits)}%` : undefined;
}

/**
 * A basic canary's fenceposts (`resolveFenceposts` in utils/replicaset/replicaset.go): maxSurge
 * rounds up, maxUnavailable down, 0/0 forces maxUnavailable to 1, and `MaxUnavailable` is capped at
 * the replica count. The same arithmetic as a Deployment (src/k8s/fenceposts.ts).
 */
export function canaryFenceposts(canary: Pick<ArgoCanary, 'maxSurge' | 'maxUnavailable'>, replicas: number): Fenceposts | undefined {
  const surge = argoIntOrPercent(canary.maxSurge);
  const unavailable = argoIntOrPercent(canary.maxUnavailable);
  if (surge === undefined || unavailable === undefined) return undefined;
  return resolveFenceposts(replicas, surge, unavailable);
}

/**
 * The pods a blue-green update runs at most: the old ReplicaSet at full size plus the new one at
 * `previewReplicaCount` until promotion, then at full size before the switch (types.go: "Once the
 * rollout is resumed the desired replicaset will be full scaled up before the switch occurs").
 */
export function blueGreenMaxTotal(replicas: number): number {
  return replicas * 2;
}

/** `spec.workloadRef`: the object whose pod template the Rollout uses. */
export interface ArgoWorkloadRef {
  apiVersion: string | undefined;
  kind: string;
  name: string;
  /**
   * `never`/unset: Argo leaves the referenced Deployment as it is; `onsuccess`: scaled to 0 once
   * the Rollout is Healthy; `progressively`: scaled down as the Rollout's pods become ready
   * (rollout/sync.go and rollout/replicaset.go, first revision only).
   */
  scaleDown: 'never' | 'onsuccess' | 'progressively' | undefined;
}

export function argoWorkloadRefOf(rollout: KubeObject): ArgoWorkloadRef | undefined {
  const ref = rollout.spec?.workloadRef;
  if (!isRecord(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  const scaleDown = ref.scaleDown === 'never' || ref.scaleDown === 'onsuccess' || ref.scaleDown === 'progressively' ? ref.scaleDown : undefined;
  return { apiVersion: typeof ref.apiVersion === 'string' ? ref.apiVersion : undefined, kind: ref.kind, name: ref.name, scaleDown };
}
