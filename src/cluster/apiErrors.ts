import { ZerodropError, type ErrorCode } from '../errors.js';
import type { ProxyChoice } from './proxy.js';
import { qualifiedResource, type ResourceRef } from './resources.js';
import type { TrustAnchors } from './trustStore.js';

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
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number };
}

/** A non-2xx answer from the API server. Callers that expect some codes (404, 410) catch it; the rest becomes a ZerodropError. */
export class KubeApiError extends Error {
  readonly statusCode: number;
  readonly status: KubeStatus | undefined;
  readonly call: ApiCall;
  /** From the Retry-After header or the Status details (429, and 5xx from a server that is starting). */
  readonly retryAfterSeconds: number | undefined;

  constructor(call: ApiCall, statusCode: number, status: KubeStatus | undefined, retryAfterSeconds?: number) {
    super(status?.message ?? `HTTP ${statusCode}`);
    this.name = 'KubeApiError';
    this.statusCode = statusCode;
    this.status = status;
    this.call = call;
    this.retryAfterSeconds = retryAfterSeconds ?? status?.details?.retryAfterSeconds;
  }
}

/** How we reached (or failed to reach) the cluster, so an error can name the part that failed. */
export interface ClusterAccess {
  server: string;
  context: string;
  proxy?: ProxyChoice | undefined;
  trust?: TrustAnchors | undefined;
  /** e.g. `the credential plugin "aws eks get-token"`. */
  credentials?: string;
  /** The credentials were asked for again after the first 401 (a plugin, a token file). */
  credentialsRenewed?: boolean;
  /** The server is plain http:// and not on this machine: no credentials were sent (as kubectl does). */
  credentialsWithheld?: boolean;
}

export function describeCall(call: ApiCall): string {
  const what = call.name !== undefined ? `${qualifiedResource(call.resource)} "${call.name}"` : qualifiedResource(call.resource);
  const where = !call.resource.namespaced ? '' : call.namespace === undefined ? ' in all namespaces' : ` in namespace "${call.namespace}"`;
  return `${call.verb} ${what}${where}`;
}

/** Every cluster error but 404 is the environment's (exit 4); the catalogue fixes that per code. */
const clusterError = (code: ErrorCode, message: string, cause: unknown) => new ZerodropError(code, message, { cause });

/** An admission webhook or ValidatingAdmissionPolicy said no (apiserver admission/plugin/webhook/errors/statuserror.go, policy/validating/dispatcher.go). */
export function isAdmissionDenial(status: KubeStatus | undefined): boolean {
  const message = status?.message ?? '';
  return /admission webhook ".*" denied the request|ValidatingAdmissionPolicy '.*' with binding '.*' denied request|denied request: /.test(message);
}

/** An RBAC refusal reads `X is forbidden: User "u" cannot VERB resource ...` (the authorizer's message). */
function isRbacRefusal(status: KubeStatus | undefined): boolean {
  return /is forbidden: User ".*" cannot /.test(status?.message ?? '');
}

/**
 * Turns an API or network failure into the error the user sees, named by its cause: a policy
 * (admission) refusal, missing RBAC, rejected credentials, a proxy, the certificate check, or the
 * network. All are environment problems (exit 4) except 404 on a named object (exit 2).
 */
export function toUserError(err: unknown, call: ApiCall, access: ClusterAccess): ZerodropError {
  if (err instanceof ZerodropError) return err;
  if (err instanceof KubeApiError) return statusError(err, call, access);
  return transportError(err, access);
}

function statusError(err: KubeApiError, call: ApiCall, access: ClusterAccess): ZerodropError {
  const apiSays = err.status?.message ? ` (API server: ${err.status.message})` : '';
  if (call.verb !== 'get' && call.verb !== 'list' && call.verb !== 'watch' && err.statusCode >= 400 && err.statusCode < 500 && isAdmissionDenial(err.status)) {
    return clusterError(
      'cluster-admission-denied',
      `the API server refused to ${describeCall(call)}: ${err.status?.message}. This is a policy (an admission webhook or ValidatingAdmissionPolicy), not missing RBAC: change the object so the policy accepts it, or ask the policy's owner; nothing was changed (see docs/rollout.md#troubleshooting)`,
      err,
    );
  }
  switch (err.statusCode) {
    case 401: {
      const why = access.credentialsWithheld
        ? `; the server is plain http:// and not on this machine, so no credentials were sent (as kubectl does): use its https:// address, or kubectl proxy on this machine`
        : access.credentials
          ? ` from ${access.credentials}${access.credentialsRenewed ? ', even after asking for them again' : ''}`
          : '';
      return clusterError(
        'cluster-unauthorized',
        `the API server at ${access.server} rejected our credentials (401) for context "${access.context}"${why}; refresh them (e.g. kubectl get ns) and retry`,
        err,
      );
    }
    case 403:
      if (!isRbacRefusal(err.status) && err.status?.message) {
        return clusterError('cluster-forbidden', `the API server refused to ${describeCall(call)} (403): ${err.status.message}`, err);
      }
      return clusterError(
        'cluster-forbidden',
        `forbidden: cannot ${describeCall(call)}; grant the verb "${call.verb}" on "${qualifiedResource(call.resource)}" (see docs/rollout.md#rbac)${apiSays}`,
        err,
      );
    case 404:
      // Every 404 of a Kubernetes API server carries a metav1.Status; without one, this is some other server.
      if (!err.status)
        return clusterError(
          'cluster-not-kubernetes',
          `${access.server} (context "${access.context}") answered 404 without a Kubernetes Status to ${describeCall(call)}: it is not a Kubernetes API server, or the kubeconfig's server URL has a wrong path; check it with kubectl config view --minify`,
          err,
        );
      return new ZerodropError(
        'cluster-not-found',
        `${call.resource.kind.toLowerCase()}${call.name !== undefined ? `/${call.name}` : ''} not found${call.namespace !== undefined ? ` in namespace "${call.namespace}"` : ''} (context "${access.context}")`,
        { cause: err },
      );
    case 429:
      return clusterError(
        'cluster-throttled',
        `the API server kept answering 429 Too Many Requests to ${describeCall(call)}${apiSays}; it is starting up or overloaded (API Priority and Fairness): retry in a minute`,
        err,
      );
    default:
      return clusterError('cluster-api-error', `the API server answered ${err.statusCode} to ${describeCall(call)}${apiSays}`, err);
  }
}

const CA_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);
const VALIDITY_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

function transportError(err: unknown, access: ClusterAccess): ZerodropError {
  const e = err as (NodeJS.ErrnoException & { reason?: string }) | undefined;
  const code = e?.code;
  const message = err instanceof Error ? err.message : String(err);
  const where = `the API server at ${access.server} (context "${access.context}")`;
  if (code && CA_CODES.has(code)) {
    const fix = access.trust?.fromKubeconfig
      ? "the kubeconfig's CA does not match this server: fetch a fresh kubeconfig from the cluster's provider (aws eks update-kubeconfig, gcloud container clusters get-credentials, az aks get-credentials)"
      : "put the cluster's CA in the kubeconfig (certificate-authority-data), or, behind a TLS-inspecting proxy, add the proxy's CA to the system trust store (or SSL_CERT_FILE / NODE_EXTRA_CA_CERTS)";
    return clusterError(
      'cluster-ca-untrusted',
      `${where} presented a certificate that ${access.trust?.source ?? 'our trust store'} does not vouch for (${code}: ${message}); ${fix} (see docs/rollout.md#troubleshooting)`,
      err,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return clusterError(
      'cluster-tls-name-mismatch',
      `the certificate of ${where} is not valid for the name we connected to (${e?.reason ?? message}); use a name the certificate lists, or set tls-server-name in the cluster entry`,
      err,
    );
  }
  if (code && VALIDITY_CODES.has(code)) {
    return clusterError(
      'cluster-tls-invalid',
      `the certificate of ${where} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (${message}); check this machine's clock, or the cluster's certificates`,
      err,
    );
  }
  if (code?.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return clusterError(
      'cluster-tls-invalid',
      `the TLS handshake with ${where} failed (${code}: ${message}); if the server wants a client certificate, check client-certificate and client-key of the kubeconfig user`,
      err,
    );
  }
  if (access.proxy) {
    const refused = /Proxy response \((\d+)\)/.exec(message);
    const proxy = `the proxy ${redact(access.proxy.url)} (from ${access.proxy.source})`;
    if (refused) {
      return clusterError(
        'cluster-proxy',
        `${proxy} refused to connect us to ${where}: it answered ${refused[1]} to CONNECT${refused[1] === '407' ? ' (it wants credentials: put them in the proxy URL)' : ''}; check the proxy, or add the host to NO_PROXY if it is reached directly`,
        err,
      );
    }
    return clusterError(
      'cluster-proxy',
      `cannot reach ${where} through ${proxy}: ${code ?? message}; check the proxy, or add the host to NO_PROXY if it is reached directly`,
      err,
    );
  }
  return clusterError(
    'cluster-unreachable',
    `cannot reach the Kubernetes API at ${access.server} (context "${access.context}"): ${code ?? message}; check that the cluster runs and --context/--kubeconfig point at it`,
    err,
  );
}

/** A proxy URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
