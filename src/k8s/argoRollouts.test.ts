import { describe, expect, it } from 'vitest';
import { argoIntOrPercent, argoStrategyOf, argoWorkloadRefOf, canaryFenceposts } from './argoRollouts.js';

// argo-rollouts utils/defaults/defaults.go and utils/replicaset/replicaset.go (docs/reference/argo-rollouts-and-deploymentconfig.md#argo-rollouts).
const rollout = (strategy: unknown, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  spec: { strategy, ...spec },
});

describe('argoStrategyOf', () => {
  it('blue-green defaults: 30 s scale-down and abort delays, auto-promotion on', () => {
    expect(argoStrategyOf(rollout({ blueGreen: { activeService: 'web' } }))).toMatchObject({
      strategy: 'blueGreen',
      activeService: 'web',
      scaleDownDelaySeconds: 30,
      scaleDownDelaySet: false,
      abortScaleDownDelaySeconds: 30,
      autoPromotionEnabled: true,
    });
  });
  it('abortScaleDownDelaySeconds 0 means never scale down', () => {
    expect(argoStrategyOf(rollout({ blueGreen: { activeService: 'web', abortScaleDownDelaySeconds: 0 } }))).toMatchObject({
      abortScaleDownDelaySeconds: 'never',
    });
  });
  it('basic canary: 25%/25%, no scale-down delay', () => {
    expect(argoStrategyOf(rollout({ canary: {} }))).toMatchObject({
      strategy: 'canary',
      trafficRouted: false,
      maxSurge: '25%',
      maxUnavailable: '25%',
      scaleDownDelaySeconds: undefined,
      abortScaleDownDelaySeconds: undefined,
    });
  });
  it('traffic-routed canary: the routers named, a 30 s delay', () => {
    const s = argoStrategyOf(rollout({ canary: { dynamicStableScale: true, trafficRouting: { alb: { ingress: 'web', servicePort: 80 }, istio: {} } } }));
    expect(s).toMatchObject({ trafficRouters: ['alb', 'istio'], dynamicStableScale: true, scaleDownDelaySeconds: 30 });
  });
  it('no strategy', () => expect(argoStrategyOf(rollout(undefined))).toBeUndefined());
});

describe('canary fenceposts', () => {
  it('a quoted number is a percentage to Argo (legacy GetValueFromIntOrPercent)', () => {
    expect(argoIntOrPercent('1')).toBe('1%');
    expect(argoIntOrPercent('25%')).toBe('25%');
    expect(argoIntOrPercent(2)).toBe(2);
    expect(argoIntOrPercent('one')).toBeUndefined();
  });
  it('defaults with one replica: surge 1, unavailable 0', () => {
    expect(canaryFenceposts({ maxSurge: '25%', maxUnavailable: '25%' }, 1)).toMatchObject({ maxSurge: 1, maxUnavailable: 0, minAvailable: 1 });
  });
  it('0/0 after rounding forces one unavailable', () => {
    expect(canaryFenceposts({ maxSurge: 0, maxUnavailable: '25%' }, 1)).toMatchObject({
      maxSurge: 0,
      maxUnavailable: 1,
      forcedUnavailable: true,
      minAvailable: 0,
    });
  });
  it('maxUnavailable is capped at the replica count', () => {
    expect(canaryFenceposts({ maxSurge: 1, maxUnavailable: 5 }, 2)).toMatchObject({ maxUnavailable: 2, minAvailable: 0 });
  });
});

describe('argoWorkloadRefOf', () => {
  it('reads the reference and scaleDown', () => {
    expect(
      argoWorkloadRefOf(rollout({ canary: {} }, { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'onsuccess' } })),
    ).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      scaleDown: 'onsuccess',
    });
  });
  it('scaleDown unset leaves the Deployment alone', () => {
    expect(argoWorkloadRefOf(rollout({ canary: {} }, { workloadRef: { kind: 'Deployment', name: 'web' } }))?.scaleDown).toBeUndefined();
  });
});
