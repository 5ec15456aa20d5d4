import { describe, expect, it } from 'vitest';
import { resolveFenceposts } from './fenceposts.js';
import { newReplicaSetReplicas, podAvailable, progressDeadlineExceeded, reconcileOldReplicaSets, rollingUpdateStep, rolloutComplete } from './rollingUpdate.js';

// docs/reference/workload-updates.md#deployment-controller: one rolling sync scales the new RS up to replicas + maxSurge, and only
// when it did not change, scales old RSs down to keep replicas − maxUnavailable available.
describe('rollingUpdateStep (rolling.go rolloutRolling)', () => {
  const f4 = resolveFenceposts(4, '25%', '25%'); // surge 1, unavailable 1 (docs/reference/workload-updates.md#deployment-rollingupdate table)

  it('first sync of 4 replicas at 25%/25% creates one surge pod and touches no old pod', () => {
    const step = rollingUpdateStep({ replicas: 4, fenceposts: f4, newRS: { replicas: 0, available: 0 }, oldRSs: [{ replicas: 4, available: 4 }] });
    expect(step).toEqual({ newReplicas: 1, oldReplicas: [4], action: 'scale-up-new' });
  });

  it('second sync scales the old RS down by one: 5 pods, 4 available, minAvailable 3, new pod not yet available', () => {
    const step = rollingUpdateStep({ replicas: 4, fenceposts: f4, newRS: { replicas: 1, available: 0 }, oldRSs: [{ replicas: 4, available: 4 }] });
    // maxScaledDown = 5 − 3 − 1 = 1; available 4 − minAvailable 3 = 1
    expect(step).toEqual({ newReplicas: 1, oldReplicas: [3], action: 'scale-down-old' });
  });

  it('once the old RS is scaled down, surge room opens again even though the old pod is still terminating', () => {
    // Terminating pods are in neither spec.replicas nor availableReplicas (docs/reference/workload-updates.md#deployment-controller).
    expect(newReplicaSetReplicas({ replicas: 4, fenceposts: f4, newRS: { replicas: 1, available: 0 }, oldRSs: [{ replicas: 3, available: 3 }] })).toBe(2);
  });

  it('cleans up unavailable old pods first (cleanupUnhealthyReplicas)', () => {
    // 4 replicas, old RS has 2 pods that are not available; new RS has 1 available.
    const out = reconcileOldReplicaSets({ replicas: 4, fenceposts: f4, newRS: { replicas: 1, available: 1 }, oldRSs: [{ replicas: 4, available: 2 }] });
    // maxScaledDown = 5 − 3 − 0 = 2 → both unhealthy go; then available 3 ≤ minAvailable 3 → no more.
    expect(out).toEqual([2]);
  });

  it('scales the oldest old RS first', () => {
    const out = reconcileOldReplicaSets({
      replicas: 4,
      fenceposts: resolveFenceposts(4, 0, 2),
      newRS: { replicas: 0, available: 0 },
      oldRSs: [
        { replicas: 1, available: 1 },
        { replicas: 3, available: 3 },
      ],
    });
    expect(out).toEqual([0, 2]);
  });

  it('1 replica with maxUnavailable 1 and maxSurge 0 deletes the only pod before a new one exists (docs/reference/workload-updates.md#deployment-rollingupdate, talk slide "Deployments")', () => {
    const f = resolveFenceposts(1, 0, 1);
    const step = rollingUpdateStep({ replicas: 1, fenceposts: f, newRS: { replicas: 0, available: 0 }, oldRSs: [{ replicas: 1, available: 1 }] });
    // New RS cannot grow (1 pod already = maxTotal 1), so the old one is scaled to 0 first.
    expect(step).toEqual({ newReplicas: 0, oldReplicas: [0], action: 'scale-down-old' });
  });

  it.each<[number, number | string, number | string]>([
    [4, '25%', '25%'],
    [3, '25%', '25%'],
    [1, 0, 1],
    [10, '25%', '25%'],
    [5, 2, 0],
  ])('a full simulated rollout of %i replicas with surge %s / unavailable %s never breaks its fenceposts', (replicas, surge, unavailable) => {
    const f = resolveFenceposts(replicas, surge, unavailable);
    const newRS = { replicas: 0, available: 0 };
    const old = { replicas, available: replicas };
    for (let i = 0; i < 100 && !rolloutComplete(replicas, { ...newRS, active: newRS.replicas }, old.replicas); i++) {
      const step = rollingUpdateStep({ replicas, fenceposts: f, newRS, oldRSs: [old] });
      newRS.replicas = step.newReplicas;
      old.replicas = step.oldReplicas[0]!;
      old.available = Math.min(old.available, old.replicas);
      expect(newRS.replicas + old.replicas).toBeLessThanOrEqual(f.maxTotal);
      expect(newRS.available + old.available).toBeGreaterThanOrEqual(f.minAvailable);
      // New pods become available between syncs.
      if (step.action === 'none') newRS.available = newRS.replicas;
    }
    expect(newRS).toEqual({ replicas, available: replicas });
    expect(old.replicas).toBe(0);
  });
});

describe('availability and progress (docs/reference/workload-updates.md#deployment-controller)', () => {
  it('a pod is available only minReadySeconds after it turned Ready', () => {
    expect(podAvailable(undefined, 0, 1000)).toBe(false);
    expect(podAvailable(1000, 0, 1000)).toBe(true);
    expect(podAvailable(1000, 2, 2999)).toBe(false);
    expect(podAvailable(1000, 2, 3000)).toBe(true);
  });

  it('progressDeadlineSeconds is exceeded only after that long without progress, and never when unset', () => {
    expect(progressDeadlineExceeded(0, 10, 10_000)).toBe(false);
    expect(progressDeadlineExceeded(0, 10, 10_001)).toBe(true);
    expect(progressDeadlineExceeded(0, undefined, 1e9)).toBe(false);
  });
});
