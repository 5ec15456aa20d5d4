import { mergePatches, patchAt } from '../../patch.js';
import type { ContainerView, StrategicPatch, WorkloadView } from '../../types.js';

/**
 * Patches for `--fix` built on the engine's strategic-merge helpers (containers matched by name;
 * `null` deletes a key, used to swap an exec preStop for the sleep action).
 */

/** Patch of pod-spec fields (e.g. terminationGracePeriodSeconds), wherever the kind keeps the pod spec. */
export function podSpecPatch(w: WorkloadView, fields: Record<string, unknown>): StrategicPatch {
  return Object.entries(fields).reduce<StrategicPatch>((acc, [k, v]) => mergePatches(acc, patchAt(w.object, [...w.podSpecPath, k], v)), {});
}

/**
 * Patch of one container's fields, plus optional pod-spec fields in the same patch; none for a
 * container without a name, which a strategic-merge patch cannot address (the API server rejects
 * such a container in a built-in workload, whose shape check stops it earlier; a custom
 * resource's schema may not).
 */
export function containerPatch(
  w: WorkloadView,
  c: ContainerView,
  fields: Record<string, unknown>,
  podSpecFields: Record<string, unknown> = {},
): StrategicPatch | undefined {
  if (typeof c.container.name !== 'string') return undefined;
  return mergePatches(patchAt(w.object, c.path, fields), podSpecPatch(w, podSpecFields));
}

/** Patch of the workload's own spec (strategy, replicas, minReadySeconds). */
export function workloadSpecPatch(fields: Record<string, unknown>): StrategicPatch {
  return { spec: fields };
}
