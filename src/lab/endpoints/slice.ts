/**
 * EndpointSlice semantics as pure functions (kubernetes-semantics §1.3, §1.4, §1.5).
 */
export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface SliceEndpoint {
  pod: string;
  host: string;
  port: number;
  conditions: EndpointConditions;
}

/** What the slice controller reads from a pod. */
export interface PodView {
  name: string;
  host: string;
  port: number;
  /** Pod Ready condition (readiness keeps running during termination, §2.2). */
  ready: boolean;
  /** deletionTimestamp set. */
  deleting: boolean;
  /** Terminal phase or deleted: the endpoint leaves the slice (§1.7 item 4). */
  terminal: boolean;
  /** Has an address yet (the sandbox exists). */
  hasAddress: boolean;
}

/**
 * `podToEndpoint` (staging/src/k8s.io/endpointslice/utils.go, §1.3): serving = Ready,
 * terminating = deletionTimestamp set, ready = serving && !terminating (publishNotReadyAddresses
 * makes ready always true). Terminating pods stay in the slice until terminal.
 */
export function podToEndpoint(pod: PodView, publishNotReadyAddresses = false): SliceEndpoint | undefined {
  if (pod.terminal || !pod.hasAddress) return undefined;
  const serving = pod.ready;
  const terminating = pod.deleting;
  return { pod: pod.name, host: pod.host, port: pod.port, conditions: { ready: publishNotReadyAddresses || (serving && !terminating), serving, terminating } };
}

export type ConsumerKind = 'ingress' | 'kube-proxy';

/**
 * Which endpoints a traffic consumer sends new traffic to.
 * - ingress (ingress-nginx, §1.5): only `ready` endpoints; no terminating fallback.
 * - kube-proxy (§1.4 `CategorizeEndpoints`): `ready` ones; only when none is ready, those that are
 *   `serving && terminating`.
 */
export function endpointsForConsumer(kind: ConsumerKind, slice: readonly SliceEndpoint[]): SliceEndpoint[] {
  const ready = slice.filter((e) => e.conditions.ready);
  if (kind === 'ingress' || ready.length > 0) return ready;
  return slice.filter((e) => e.conditions.serving && e.conditions.terminating);
}
