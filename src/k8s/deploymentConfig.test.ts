import { describe, expect, it } from 'vitest';
import { deploymentConfigFenceposts, deploymentConfigStrategyOf } from './deploymentConfig.js';
import { replicasOf } from './objects.js';

// openshift/origin pkg/apps/apis/apps/v1/defaults.go (docs/reference/argo-rollouts-and-deploymentconfig.md#deploymentconfig).
const dc = (strategy?: unknown, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  spec: { ...(strategy ? { strategy } : {}), ...spec },
});

describe('deploymentConfigStrategyOf', () => {
  it('Rolling with 25%/25% and a 600 s timeout by default', () => {
    expect(deploymentConfigStrategyOf(dc())).toMatchObject({ type: 'Rolling', maxSurge: '25%', maxUnavailable: '25%', timeoutSeconds: 600, timeoutSet: false });
  });
  it('maxSurge 0 alone: maxUnavailable defaults to 25%', () => {
    expect(deploymentConfigStrategyOf(dc({ rollingParams: { maxSurge: 0 } }))).toMatchObject({ maxSurge: 0, maxUnavailable: '25%' });
  });
  it('maxUnavailable "0%" alone: maxSurge defaults to 25%', () => {
    expect(deploymentConfigStrategyOf(dc({ rollingParams: { maxUnavailable: '0%' } }))).toMatchObject({ maxSurge: '25%', maxUnavailable: '0%' });
  });
  it('maxSurge 2 alone: maxUnavailable stays unset, and no fenceposts are claimed', () => {
    const s = deploymentConfigStrategyOf(dc({ rollingParams: { maxSurge: 2 } }));
    expect(s.maxUnavailable).toBeUndefined();
    expect(deploymentConfigFenceposts(s, 3)).toBeUndefined();
  });
  it('one replica with maxSurge 0 resolves to 0/0, forced to one unavailable (openshift/origin#7700)', () => {
    expect(deploymentConfigFenceposts(deploymentConfigStrategyOf(dc({ rollingParams: { maxSurge: 0 } })), 1)).toMatchObject({
      maxUnavailable: 1,
      minAvailable: 0,
    });
  });
  it('Recreate has no fenceposts', () => {
    expect(deploymentConfigFenceposts(deploymentConfigStrategyOf(dc({ type: 'Recreate' })), 3)).toBeUndefined();
  });
  it('replicas unset is 0', () => {
    expect(replicasOf(dc())).toBe(0);
    expect(replicasOf(dc(undefined, { replicas: 2 }))).toBe(2);
  });
});
