import { describe, expect, it } from 'vitest';
import { deploymentRolloutStatus, type DeploymentLike } from './rolloutStatus.js';
import { effectiveConditions } from './endpointSlice.js';

const base = (status: DeploymentLike['status'], generation = 2, replicas = 3): DeploymentLike => ({
  metadata: { name: 'web', generation },
  spec: { replicas },
  status,
});

// kubectl polymorphichelpers/rollout_status.go, in the order kubectl checks.
describe('deploymentRolloutStatus (kubectl rollout status semantics)', () => {
  it.each([
    ['spec not observed yet', base({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'waiting-for-observation'],
    [
      'progress deadline exceeded (docs/reference/workload-updates.md#deployment-controller)',
      base({
        observedGeneration: 2,
        replicas: 4,
        updatedReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      }),
      'deadline-exceeded',
    ],
    ['new replicas still being created', base({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }), 'updating'],
    ['old replicas pending termination', base({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), 'terminating-old'],
    ['updated replicas not available yet', base({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), 'waiting-for-available'],
    ['all updated and available', base({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'complete'],
    ['omitted zero counters with zero replicas', base({ observedGeneration: 2 }, 2, 0), 'complete'],
  ])('%s', (_name, deployment, state) => {
    const status = deploymentRolloutStatus(deployment);
    expect(status.state).toBe(state);
    expect(status.done).toBe(state === 'complete');
  });

  it('treats a missing spec.replicas as the API default of 1', () => {
    expect(deploymentRolloutStatus({ metadata: { generation: 1 }, spec: {}, status: { observedGeneration: 1 } }).state).toBe('updating');
  });
});

describe('effectiveConditions (docs/reference/traffic-routing.md#endpointslice-conditions nil semantics)', () => {
  it('reads nil ready/serving as true and nil terminating as false', () => {
    expect(effectiveConditions(undefined)).toEqual({ ready: true, serving: true, terminating: false });
    expect(effectiveConditions({ ready: false, serving: true, terminating: true })).toEqual({ ready: false, serving: true, terminating: true });
  });
});
