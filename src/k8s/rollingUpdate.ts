import type { Fenceposts } from './fenceposts.js';

/**
 * One sync of the Deployment controller's RollingUpdate (docs/reference/workload-updates.md#deployment-controller, code:
 * pkg/controller/deployment/rolling.go `rolloutRolling`, `reconcileNewReplicaSet`,
 * `reconcileOldReplicaSets`, `cleanupUnhealthyReplicas`, `scaleDownOldReplicaSetsForRollingUpdate`
 * and util/deployment_util.go `NewRSNewReplicas`).
 *
 * Counts are ReplicaSet `spec.replicas` and `status.availableReplicas`; terminating pods are in
 * neither (docs/reference/workload-updates.md#deployment-controller), so surge room opens the moment an old ReplicaSet is scaled down.
 */
export interface ReplicaSetState {
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas: non-terminating pods Ready for at least minReadySeconds. */
  available: number;
}

export interface RollingUpdateInput {
  /** Deployment spec.replicas. */
  replicas: number;
  fenceposts: Pick<Fenceposts, 'maxSurge' | 'maxUnavailable'>;
  newRS: ReplicaSetState;
  /** Old ReplicaSets, oldest first (ReplicaSetsByCreationTimestamp). */
  oldRSs: ReplicaSetState[];
}

export interface RollingUpdateStep {
  /** New spec.replicas of the new ReplicaSet. */
  newReplicas: number;
  /** New spec.replicas of each old ReplicaSet, same order as the input. */
  oldReplicas: number[];
  /** What the sync did, mirroring rolloutRolling's early returns. */
  action: 'scale-up-new' | 'scale-down-new' | 'scale-down-old' | 'none';
}

/** NewRSNewReplicas for RollingUpdate: grow the new RS up to replicas + maxSurge pods in total. */
export function newReplicaSetReplicas(input: RollingUpdateInput): number {
  const { replicas, fenceposts, newRS, oldRSs } = input;
  const currentPodCount = newRS.replicas + oldRSs.reduce((s, rs) => s + rs.replicas, 0);
  const maxTotalPods = replicas + fenceposts.maxSurge;
  if (currentPodCount >= maxTotalPods) return newRS.replicas;
  const scaleUpCount = Math.min(maxTotalPods - currentPodCount, replicas - newRS.replicas);
  return newRS.replicas + scaleUpCount;
}

/** `rolloutRolling`: scale the new RS first; only when it did not change, scale old ones down. */
export function rollingUpdateStep(input: RollingUpdateInput): RollingUpdateStep {
  const { replicas, newRS, oldRSs } = input;
  const oldReplicas = oldRSs.map((rs) => rs.replicas);
  if (newRS.replicas > replicas) return { newReplicas: replicas, oldReplicas, action: 'scale-down-new' };
  if (newRS.replicas < replicas) {
    const target = newReplicaSetReplicas(input);
    if (target !== newRS.replicas) return { newReplicas: target, oldReplicas, action: 'scale-up-new' };
  }
  const scaled = reconcileOldReplicaSets(input);
  const changed = scaled.some((r, i) => r !== oldReplicas[i]);
  return { newReplicas: newRS.replicas, oldReplicas: scaled, action: changed ? 'scale-down-old' : 'none' };
}

/** `reconcileOldReplicaSets`: returns the new spec.replicas of every old RS. */
export function reconcileOldReplicaSets(input: RollingUpdateInput): number[] {
  const { replicas, fenceposts, newRS, oldRSs } = input;
  const result = oldRSs.map((rs) => rs.replicas);
  const oldPodsCount = result.reduce((s, r) => s + r, 0);
  if (oldPodsCount === 0) return result;
  const allPodsCount = oldPodsCount + newRS.replicas;
  const minAvailable = replicas - fenceposts.maxUnavailable;
  const newRSUnavailablePodCount = newRS.replicas - newRS.available;
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return result;

  // cleanupUnhealthyReplicas: old pods that are not available go first, bounded by maxScaledDown.
  let cleaned = 0;
  for (let i = 0; i < oldRSs.length; i++) {
    if (cleaned >= maxScaledDown) break;
    const rs = oldRSs[i]!;
    if (result[i] === 0 || result[i] === rs.available) continue;
    const count = Math.min(maxScaledDown - cleaned, result[i]! - rs.available);
    result[i] = result[i]! - count;
    cleaned += count;
  }

  // scaleDownOldReplicaSetsForRollingUpdate: available pods above minAvailable, oldest RS first.
  const availablePodCount = newRS.available + oldRSs.reduce((s, rs) => s + rs.available, 0);
  if (availablePodCount <= minAvailable) return result;
  const totalScaleDownCount = availablePodCount - minAvailable;
  let scaledDown = 0;
  for (let i = 0; i < oldRSs.length; i++) {
    if (scaledDown >= totalScaleDownCount) break;
    if (result[i] === 0) continue;
    const count = Math.min(result[i]!, totalScaleDownCount - scaledDown);
    result[i] = result[i]! - count;
    scaledDown += count;
  }
  return result;
}

/**
 * `DeploymentComplete` (util/deployment_util.go): every replica is updated and available and no
 * old replica is left. Terminating pods do not count (docs/reference/workload-updates.md#deployment-controller), so a rollout can be "complete" while
 * old pods are still in their preStop.
 */
export function rolloutComplete(replicas: number, newRS: ReplicaSetState & { active: number }, oldActive: number): boolean {
  return newRS.replicas === replicas && newRS.active === replicas && newRS.available === replicas && oldActive === 0;
}

/**
 * `IsPodAvailable` (pkg/api/v1/pod/util.go, docs/reference/workload-updates.md#deployment-controller): Ready, and Ready for at least minReadySeconds.
 * Times in milliseconds.
 */
export function podAvailable(readySinceMs: number | undefined, minReadySeconds: number, nowMs: number): boolean {
  if (readySinceMs === undefined) return false;
  if (minReadySeconds <= 0) return true;
  return readySinceMs + minReadySeconds * 1000 <= nowMs;
}

/**
 * `DeploymentTimedOut` (docs/reference/workload-updates.md#deployment-controller): no progress for progressDeadlineSeconds sets Progressing=False with
 * reason ProgressDeadlineExceeded. Nothing is rolled back; the condition is only reported.
 */
export function progressDeadlineExceeded(lastProgressMs: number, progressDeadlineSeconds: number | undefined, nowMs: number): boolean {
  if (progressDeadlineSeconds === undefined) return false;
  return nowMs - lastProgressMs > progressDeadlineSeconds * 1000;
}
