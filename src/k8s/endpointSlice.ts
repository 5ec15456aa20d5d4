/**
 * EndpointSlice conditions as consumers read them (kubernetes-semantics §1.3): nil `ready` and
 * `serving` mean true, nil `terminating` means false; a terminating endpoint stays in the slice
 * with ready=false. kube-proxy sends new connections only to `ready` endpoints, and falls back to
 * serving+terminating ones only when none is ready (§1.4).
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

/** Whether kube-proxy would open new connections to this endpoint while other endpoints are ready (§1.4). */
export function receivesNewConnections(c: EndpointConditions | undefined): boolean {
  return effectiveConditions(c).ready;
}

/** Label the EndpointSlice controller puts on every slice it manages for a Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
