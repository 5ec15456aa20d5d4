/**
 * What the edge rules share: the workload view of a workload object (they are object rules, so
 * they can read the ConfigMaps and Ingresses of the run), and the edge-proxy containers of a pod.
 */
import { edgeProxyOf, type EdgeProxy } from '../../../k8s/edgeProxies.js';
import { isBatchKind, WORKLOAD_KINDS, type KubeObject, type WorkloadKind } from '../../../k8s/objects.js';
import type { ContainerView, ObjectView, WorkloadView } from '../../types.js';

/** Workload kinds whose pods run for good (Jobs and CronJobs run to completion). */
export const LONG_RUNNING_WORKLOAD_KINDS: readonly WorkloadKind[] = WORKLOAD_KINDS.filter((k) => !isBatchKind(k));

export function workloadViewOf(view: ObjectView, workloads: readonly WorkloadView[]): WorkloadView | undefined {
  // Indexed once per audit: the rules ask for every object, and a search each time is quadratic on large inputs.
  let byObject = workloadIndex.get(workloads);
  if (!byObject) workloadIndex.set(workloads, (byObject = new Map(workloads.map((w) => [w.object, w]))));
  return byObject.get(view.object);
}
const workloadIndex = new WeakMap<readonly WorkloadView[], Map<KubeObject, WorkloadView>>();

/** The regular containers and native sidecars of the pod that run an edge proxy, with which one. */
export function edgeProxyContainers(w: WorkloadView): Array<{ c: ContainerView; proxy: EdgeProxy }> {
  return w.containers.flatMap((c) => {
    if (c.role === 'init') return [];
    const proxy = edgeProxyOf(c.container);
    return proxy ? [{ c, proxy }] : [];
  });
}

/** The objects of the input, built once per audit for the same reason. */
export function objectsOf(views: readonly ObjectView[]): KubeObject[] {
  let objects = objectLists.get(views);
  if (!objects) objectLists.set(views, (objects = views.map((v) => v.object)));
  return objects;
}
const objectLists = new WeakMap<readonly ObjectView[], KubeObject[]>();
