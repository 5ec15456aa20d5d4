import type { EndpointEvent } from '../events/schema.js';
import type { KubeObject } from '../k8s/objects.js';
import { effectiveConditions, SERVICE_NAME_LABEL, type EffectiveConditions, type SliceEndpoint } from '../k8s/endpointSlice.js';

type EndpointBody = Omit<EndpointEvent, 't' | 'run'>;

/** Per Service: the endpoints of all its slices, keyed by the pod they point at (or the address). */
export type ServiceEndpoints = Map<string, EffectiveConditions>;

/**
 * Merges the slices of one Service into one view per pod. A pod may sit in two slices (one per
 * address family); it receives traffic when any of them lists it ready.
 */
export function endpointsOfService(slices: readonly KubeObject[], service: string): ServiceEndpoints {
  const out: ServiceEndpoints = new Map();
  for (const slice of slices) {
    if (slice.metadata?.labels?.[SERVICE_NAME_LABEL] !== service) continue;
    for (const ep of (slice as { endpoints?: SliceEndpoint[] }).endpoints ?? []) {
      const key = ep.targetRef?.name ?? ep.addresses?.[0];
      if (!key) continue;
      const c = effectiveConditions(ep.conditions);
      const had = out.get(key);
      out.set(key, had ? { ready: had.ready || c.ready, serving: had.serving || c.serving, terminating: had.terminating && c.terminating } : c);
    }
  }
  return out;
}

/**
 * Endpoint events between two views of one Service. "added" means the endpoint became ready,
 * so kube-proxy sends it new connections; "removed" means it stopped being ready (terminating
 * endpoints stay in the slice with ready=false, docs/reference/traffic-routing.md#endpointslice-conditions) or left the slice. Conditions travel
 * with the event so the report can show ready/serving/terminating (docs/reference/traffic-routing.md#kube-proxy).
 */
export function endpointTransitions(before: ServiceEndpoints, after: ServiceEndpoints, consumer: string): EndpointBody[] {
  const out: EndpointBody[] = [];
  for (const [pod, now] of after) {
    const was = before.get(pod);
    if (now.ready && !was?.ready) out.push({ type: 'endpoint', pod, consumer, change: 'added', conditions: { ...now } });
    else if (!now.ready && was?.ready) out.push({ type: 'endpoint', pod, consumer, change: 'removed', conditions: { ...now } });
  }
  for (const [pod, was] of before) {
    if (!after.has(pod) && was.ready) out.push({ type: 'endpoint', pod, consumer, change: 'removed' });
  }
  return out;
}
