/**
 * What a StatefulSet's controller does when its pod template changes
 * (docs/reference/workload-updates.md#statefulset; code: pkg/controller/statefulset/stateful_set_control.go
 * `updateStatefulSet` in kubernetes/kubernetes):
 *
 * - `OnDelete` returns before any update: pods keep their revision until something else deletes them.
 * - `RollingUpdate` (the default) walks ordinals from the highest down to `partition` (default 0),
 *   deletes the first pod that is not on the update revision, and waits for it to be recreated,
 *   Running and Ready before the next. Nothing surges: each ordinal is gone for its whole
 *   shutdown and start. `podManagementPolicy` is not read on this path (Parallel changes scaling
 *   only); `rollingUpdate.maxUnavailable` is read only behind the MaxUnavailableStatefulSet gate.
 * - Ordinals below `partition` keep the current revision, even when deleted and recreated.
 */
import type { KubeObject } from './objects.js';

export interface StatefulSetUpdate {
  strategy: 'RollingUpdate' | 'OnDelete';
  replicas: number;
  /** rollingUpdate.partition, 0 when unset; only meaningful for RollingUpdate. */
  partition: number;
  /** Whether partition is written. */
  partitionWritten: boolean;
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** Ordinals a template change replaces, highest first (empty for OnDelete or a partition ≥ replicas). */
  updatedOrdinals: number[];
  /** Ordinals that keep the old revision. */
  keptOrdinals: number[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The update plan of a StatefulSet; undefined for another kind or a strategy type the API rejects. */
export function statefulSetUpdateOf(obj: KubeObject): StatefulSetUpdate | undefined {
  if (obj.kind !== 'StatefulSet' || !isRecord(obj.spec)) return undefined;
  const spec = obj.spec;
  const strategy = isRecord(spec.updateStrategy) ? spec.updateStrategy : {};
  const type = strategy.type === undefined ? 'RollingUpdate' : strategy.type;
  if (type !== 'RollingUpdate' && type !== 'OnDelete') return undefined;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const rolling = isRecord(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const partitionWritten = typeof rolling.partition === 'number';
  const partition = partitionWritten ? Math.max(0, rolling.partition as number) : 0;
  const all = Array.from({ length: Math.max(0, replicas) }, (_, i) => replicas - 1 - i);
  const updatedOrdinals = type === 'OnDelete' ? [] : all.filter((o) => o >= partition);
  return {
    strategy: type,
    replicas,
    partition,
    partitionWritten,
    podManagementPolicy: spec.podManagementPolicy === 'Parallel' ? 'Parallel' : 'OrderedReady',
    updatedOrdinals,
    keptOrdinals: all.filter((o) => !updatedOrdinals.includes(o)).reverse(),
  };
}
