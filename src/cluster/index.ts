// The real-cluster path: kubeconfig and API access as kubectl does it, list+watch, the rollout run, and
// live objects for the audit. Kubernetes semantics it relies on live in src/k8s.
export { loadKubeconfig, type KubeconfigOptions, type LoadedKubeconfig } from './kubeconfig.js';
export { KubeApiClient, type RawWatchEvent, type WatchHandle } from './apiClient.js';
export { KubeApiError, type ApiCall, type KubeStatus } from './apiErrors.js';
export { ListWatch, type ListWatchOptions, type ListWatchStats, type ObjectChange } from './listWatch.js';
export { RESOURCES, resourcePath, type ResourceRef } from './resources.js';
export { runClusterRollout, type ClusterRolloutOptions, type ClusterRolloutResult } from './rolloutRun.js';
export { rolloutTrigger, parseImageFlag, RESTARTED_AT_ANNOTATION, type RolloutAction, type RolloutTrigger } from './rolloutTrigger.js';
export { listLiveObjects, AUDITED_RESOURCES, type LiveObject, type LiveObjects, type LiveObjectsOptions } from './liveObjects.js';
export { auditLiveObjects, type LiveAudit, type LiveAuditOptions } from './liveAudit.js';
export { locationAt, liveObjectYaml } from './liveLocation.js';
