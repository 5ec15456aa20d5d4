import type { ContainerView, StrategicPatch, WorkloadView, YamlPath } from '../../types.js';

/**
 * Strategic-merge patches for `--fix` (issue 2, Fixes): nested objects from the workload root,
 * containers matched by name. `null` deletes a key, as in any strategic-merge or JSON-merge patch
 * (used to swap an exec preStop for the sleep action).
 */
export function patchAt(path: YamlPath, value: Record<string, unknown>): StrategicPatch {
  let patch: Record<string, unknown> = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key !== 'string') throw new Error(`patchAt: list index ${String(key)} in ${path.join('.')}; address list items by merge key`);
    patch = { [key]: patch };
  }
  return patch;
}

/** Patch of the pod spec (e.g. terminationGracePeriodSeconds), wherever the kind keeps it. */
export function podSpecPatch(w: WorkloadView, fields: Record<string, unknown>): StrategicPatch {
  return patchAt(w.podSpecPath, fields);
}

/** Patch of one container, plus optional pod-spec fields in the same patch. */
export function containerPatch(w: WorkloadView, c: ContainerView, fields: Record<string, unknown>, podSpecFields: Record<string, unknown> = {}): StrategicPatch {
  const list = c.role === 'main' ? 'containers' : 'initContainers';
  return podSpecPatch(w, { ...podSpecFields, [list]: [{ name: c.name, ...fields }] });
}

/** Patch of the workload's own spec (strategy, replicas, minReadySeconds). */
export function workloadSpecPatch(fields: Record<string, unknown>): StrategicPatch {
  return { spec: fields };
}
