import { ZerodropError } from '../errors.js';
import { qualifiedResource, type ResourceRef } from './resources.js';

/** What a request was trying to do, in RBAC terms, so errors can name the missing permission. */
export interface ApiCall {
  verb: 'get' | 'list' | 'watch' | 'patch' | 'create';
  resource: ResourceRef;
  /** undefined: all namespaces or cluster-scoped. */
  namespace?: string;
  name?: string;
}

/** The metav1.Status the API server returns with every error response (and in watch ERROR events). */
export interface KubeStatus {
  kind?: 'Status';
  apiVersion?: string;
  status?: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string };
}

/** A non-2xx answer from the API server. Callers that expect some codes (404, 410) catch it; the rest becomes a ZerodropError. */
export class KubeApiError extends Error {
  readonly statusCode: number;
  readonly status: KubeStatus | undefined;
  readonly call: ApiCall;

  constructor(call: ApiCall, statusCode: number, status: KubeStatus | undefined) {
    super(status?.message ?? `HTTP ${statusCode}`);
    this.name = 'KubeApiError';
    this.statusCode = statusCode;
    this.status = status;
    this.call = call;
  }
}

export function describeCall(call: ApiCall): string {
  const what = call.name !== undefined ? `${qualifiedResource(call.resource)} "${call.name}"` : qualifiedResource(call.resource);
  const where = !call.resource.namespaced ? '' : call.namespace === undefined ? ' in all namespaces' : ` in namespace "${call.namespace}"`;
  return `${call.verb} ${what}${where}`;
}

/**
 * Turns an API or network failure into the error the user sees: 401/403 and unreachable
 * clusters are environment problems (exit 4) and name what to fix; 404 on a named object is an
 * input problem (exit 2).
 */
export function toUserError(err: unknown, call: ApiCall, cluster: { server: string; context: string }): ZerodropError {
  if (err instanceof ZerodropError) return err;
  if (err instanceof KubeApiError) {
    const apiSays = err.status?.message ? ` (API server: ${err.status.message})` : '';
    switch (err.statusCode) {
      case 401:
        return new ZerodropError(
          'cluster-unauthorized',
          `the API server at ${cluster.server} rejected our credentials (401) for context "${cluster.context}"; refresh them (e.g. kubectl get ns) and retry`,
          { cause: err },
        );
      case 403:
        return new ZerodropError(
          'cluster-forbidden',
          `forbidden: cannot ${describeCall(call)}; grant the verb "${call.verb}" on "${qualifiedResource(call.resource)}" (see docs/rollout.md#rbac)${apiSays}`,
          { cause: err },
        );
      case 404:
        return new ZerodropError(
          'cluster-not-found',
          `${call.resource.kind.toLowerCase()}${call.name !== undefined ? `/${call.name}` : ''} not found${call.namespace !== undefined ? ` in namespace "${call.namespace}"` : ''} (context "${cluster.context}")`,
          { cause: err },
        );
      default:
        return new ZerodropError('cluster-api-error', `the API server answered ${err.statusCode} to ${describeCall(call)}${apiSays}`, { cause: err });
    }
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new ZerodropError(
    'cluster-unreachable',
    `cannot reach the Kubernetes API at ${cluster.server} (context "${cluster.context}"): ${code ?? message}; check that the cluster runs and --context/--kubeconfig point at it`,
    { cause: err },
  );
}
