/**
 * What the edge rules share: the workload view of a workload object (they are object rules, so
 * they can read the ConfigMaps and Ingresses of the run), and the edge-proxy containers of a pod.
 */
import { edgeProxyOf, type EdgeProxy } from '../../../k8s/edgeProxies.js';
import type { KubeObject, WorkloadKind } from '../../../k8s/objects.js';
import type { ContainerView, ObjectView, WorkloadView } from '../../types.js';

/** Workload kinds whose pods run for good (Jobs and CronJobs run to completion). */
export const LONG_RUNNING_WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod'];

export function workloadViewOf(view: ObjectView, workloads: readonly WorkloadView[]): WorkloadView | undefined {
  return workloads.find((w) => w.object === view.object);
}

/** The regular containers and native sidecars of the pod that run an edge proxy, with which one. */
export function edgeProxyContainers(w: WorkloadView): Array<{ c: ContainerView; proxy: EdgeProxy }> {
  return w.containers.flatMap((c) => {
    if (c.role === 'init') return [];
    const proxy = edgeProxyOf(c.container);
    return proxy ? [{ c, proxy }] : [];
  });
}

export const objectsOf = (views: readonly ObjectView[]): KubeObject[] => views.map((v) => v.object);
