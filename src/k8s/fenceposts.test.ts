import { describe, expect, it } from 'vitest';
import { resolveFenceposts } from './fenceposts.js';
import { deploymentDefaults, defaultChangesOnMigration } from './apiDefaults.js';
import { isLiteralZero, scaledValue } from './intOrPercent.js';

// docs/reference/workload-updates.md#deployment-rollingupdate: maxSurge rounds up, maxUnavailable rounds down, 0/0 forces unavailable=1.
describe('resolveFenceposts (deployment_util.ResolveFenceposts)', () => {
  it.each([
    // replicas, surge, unavailable, expected surge, expected unavailable  (docs/reference/workload-updates.md#deployment-rollingupdate table, defaults 25%/25%)
    [1, '25%', '25%', 1, 0],
    [2, '25%', '25%', 1, 0],
    [3, '25%', '25%', 1, 0],
    [4, '25%', '25%', 1, 1],
    [5, '25%', '25%', 2, 1],
    [10, '25%', '25%', 3, 2],
  ] as const)('replicas %i with %s/%s resolves to surge %i, unavailable %i', (replicas, s, u, es, eu) => {
    const f = resolveFenceposts(replicas, s, u);
    expect([f.maxSurge, f.maxUnavailable]).toEqual([es, eu]);
    expect(f.forcedUnavailable).toBe(false);
  });

  it('forces maxUnavailable to 1 when rounding makes both zero (maxSurge 0, maxUnavailable 10%, 3 replicas)', () => {
    const f = resolveFenceposts(3, 0, '10%');
    expect(f).toMatchObject({ maxSurge: 0, maxUnavailable: 1, forcedUnavailable: true, minAvailable: 2 });
  });

  it('caps maxUnavailable at replicas, so 1 replica with maxUnavailable 100% leaves zero available', () => {
    expect(resolveFenceposts(1, 0, '100%')).toMatchObject({ maxUnavailable: 1, minAvailable: 0 });
    expect(resolveFenceposts(1, 1, 1)).toMatchObject({ maxUnavailable: 1, minAvailable: 0, maxTotal: 2 });
  });
});

describe('int-or-percent', () => {
  it('rejects strings that are not percentages, as the API server does', () => {
    expect(() => scaledValue('1', 4, true)).toThrow(/invalid int-or-percent/);
    expect(() => scaledValue(-1, 4, true)).toThrow();
  });
  it('recognises literal zeros that validation rejects together', () => {
    expect(isLiteralZero(0)).toBe(true);
    expect(isLiteralZero('0%')).toBe(true);
    expect(isLiteralZero('10%')).toBe(false);
  });
});

// docs/reference/workload-updates.md#defaults-by-api-version: defaults by API version (PR 39683).
describe('deploymentDefaults', () => {
  it('extensions/v1beta1 used maxUnavailable 1 and no progress deadline', () => {
    expect(deploymentDefaults('extensions/v1beta1')).toMatchObject({ maxUnavailable: 1, maxSurge: 1, progressDeadlineSeconds: undefined });
  });
  it('apps/v1beta1 moved to 25%/25% with revisionHistoryLimit 2', () => {
    expect(deploymentDefaults('apps/v1beta1')).toMatchObject({ maxUnavailable: '25%', maxSurge: '25%', revisionHistoryLimit: 2, progressDeadlineSeconds: 600 });
  });
  it('apps/v1 keeps 25%/25% with revisionHistoryLimit 10', () => {
    expect(deploymentDefaults('apps/v1')).toMatchObject({ maxUnavailable: '25%', revisionHistoryLimit: 10 });
  });
  it('names what changes when migrating from extensions/v1beta1', () => {
    expect(defaultChangesOnMigration('extensions/v1beta1')).toEqual(
      expect.arrayContaining(['maxUnavailable 1 → 25%', 'maxSurge 1 → 25%', 'progressDeadlineSeconds unset → 600']),
    );
  });
});
