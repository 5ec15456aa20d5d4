/**
 * EndpointSlice conditions as consumers read them (docs/reference/traffic-routing.md#endpointslice-conditions): nil `ready` and
 * `serving` mean true, nil `terminating` means false; a terminating endpoint stays in the slice
 * with ready=false. kube-proxy sends new connections only to `ready` endpoints, and falls back to
 * serving+terminating ones only when none is ready (docs/reference/traffic-routing.md#kube-proxy).
 */

export interface EndpointConditions {
  ready?: boolean | null;
  serving?: boolean | null;
  terminating?: boolean | null;
}

export interface SliceEndpoint {
  addresses?: string[];
  conditions?: EndpointConditions;
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
  nodeName?: string;
}

export interface EffectiveConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export function effectiveConditions(c: EndpointConditions | undefined): EffectiveConditions {
  return {
    ready: c?.ready ?? true,
    serving: c?.serving ?? true,
    terminating: c?.terminating ?? false,
  };
}

/** Label the EndpointSlice controller puts on every slice it manages for a Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** What the EndpointSlice controller reads from a pod (the lab builds its slices from these). */
export interface EndpointSourcePod {
  name: string;
  host: string;
  port: number;
  /** Pod Ready condition (readiness keeps running during termination, docs/reference/probes.md#during-termination). */
  ready: boolean;
  /** deletionTimestamp set. */
  deleting: boolean;
  /** Terminal phase or deleted: the endpoint leaves the slice (docs/reference/pod-termination.md#after-the-last-container). */
  terminal: boolean;
  /** Has an address yet (the sandbox exists). */
  hasAddress: boolean;
}

/** A slice endpoint with its address resolved and its conditions spelled out. */
export interface ResolvedEndpoint {
  pod: string;
  host: string;
  port: number;
  conditions: EffectiveConditions;
}

/**
 * `podToEndpoint` (staging/src/k8s.io/endpointslice/utils.go, docs/reference/traffic-routing.md#endpointslice-conditions): serving = Ready,
 * terminating = deletionTimestamp set, ready = serving && !terminating (publishNotReadyAddresses
 * makes ready always true). Terminating pods stay in the slice until terminal.
 */
export function podToEndpoint(pod: EndpointSourcePod, publishNotReadyAddresses = false): ResolvedEndpoint | undefined {
  if (pod.terminal || !pod.hasAddress) return undefined;
  const serving = pod.ready;
  const terminating = pod.deleting;
  return { pod: pod.name, host: pod.host, port: pod.port, conditions: { ready: publishNotReadyAddresses || (serving && !terminating), serving, terminating } };
}

export type ConsumerKind = 'ingress' | 'kube-proxy';

/**
 * Which endpoints a traffic consumer sends new traffic to.
 * - ingress (ingress-nginx, docs/reference/traffic-routing.md#ingress-and-load-balancers): only `ready` endpoints; no terminating fallback.
 * - kube-proxy (docs/reference/traffic-routing.md#kube-proxy `CategorizeEndpoints`): `ready` ones; only when none is ready, those that are
 *   `serving && terminating`.
 */
export function endpointsForConsumer(kind: ConsumerKind, slice: readonly ResolvedEndpoint[]): ResolvedEndpoint[] {
  const ready = slice.filter((e) => e.conditions.ready);
  if (kind === 'ingress' || ready.length > 0) return ready;
  return slice.filter((e) => e.conditions.serving && e.conditions.terminating);
}
