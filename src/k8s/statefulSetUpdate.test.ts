import { describe, expect, it } from 'vitest';
import { statefulSetUpdateOf } from './statefulSetUpdate.js';

const sts = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec });

// docs/reference/workload-updates.md#statefulset; pkg/controller/statefulset/stateful_set_control.go updateStatefulSet.
describe('statefulSetUpdateOf', () => {
  it('updates every ordinal, highest first, by default', () => {
    expect(statefulSetUpdateOf(sts({ replicas: 3 }))).toMatchObject({ strategy: 'RollingUpdate', partition: 0, updatedOrdinals: [2, 1, 0], keptOrdinals: [] });
  });

  it('leaves ordinals below the partition on the old revision', () => {
    expect(statefulSetUpdateOf(sts({ replicas: 5, updateStrategy: { rollingUpdate: { partition: 2 } } }))).toMatchObject({
      updatedOrdinals: [4, 3, 2],
      keptOrdinals: [0, 1],
    });
  });

  it('updates nothing with a partition at or above replicas, or with OnDelete', () => {
    expect(statefulSetUpdateOf(sts({ replicas: 3, updateStrategy: { rollingUpdate: { partition: 3 } } }))!.updatedOrdinals).toEqual([]);
    expect(statefulSetUpdateOf(sts({ replicas: 3, updateStrategy: { type: 'OnDelete' } }))).toMatchObject({
      strategy: 'OnDelete',
      updatedOrdinals: [],
      keptOrdinals: [0, 1, 2],
    });
  });

  it('does not read podManagementPolicy for the order of updates', () => {
    const parallel = statefulSetUpdateOf(sts({ replicas: 3, podManagementPolicy: 'Parallel' }))!;
    expect(parallel.podManagementPolicy).toBe('Parallel');
    expect(parallel.updatedOrdinals).toEqual(statefulSetUpdateOf(sts({ replicas: 3 }))!.updatedOrdinals);
  });

  it('is undefined for other kinds and unknown strategy types', () => {
    expect(statefulSetUpdateOf({ kind: 'Deployment', spec: {} })).toBeUndefined();
    expect(statefulSetUpdateOf(sts({ updateStrategy: { type: 'Rolling' } }))).toBeUndefined();
  });
});
