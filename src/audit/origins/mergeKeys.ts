/**
 * Strategic-merge-patch merge keys of the lists zerodrop reports on: how a patch names the list
 * item it changes. A list without a merge key is replaced whole by a patch that mentions it.
 * Source: the `patchMergeKey` struct tags in k8s.io/api core/v1 types.go
 * (https://github.com/kubernetes/api/blob/master/core/v1/types.go).
 */
import type { YamlPath } from '../types.js';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** List field → merge key, for lists outside a container. */
const POD_AND_OBJECT_LISTS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
  // ServiceSpec.ports
  ports: 'port',
};

/** List field → merge key, for lists of a container. */
const CONTAINER_FIELD_LISTS: Readonly<Record<string, string>> = {
  ports: 'containerPort',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  resizePolicy: 'resourceName',
};

/** The merge key of the list at `path` (which ends at the list's field name), or undefined for a list replaced whole. */
export function mergeKeyOf(path: YamlPath): string | undefined {
  const field = path[path.length - 1];
  if (typeof field !== 'string') return undefined;
  const inContainer = path.length >= 3 && typeof path[path.length - 2] === 'number' && CONTAINER_LISTS.has(String(path[path.length - 3]));
  return (inContainer ? CONTAINER_FIELD_LISTS : POD_AND_OBJECT_LISTS)[field];
}
