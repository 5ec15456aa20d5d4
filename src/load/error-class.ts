import type { ErrorClass } from '../events/schema.js';

/**
 * Normalising what a client sees when a pod goes away (docs/reference/load-verification.md#client-error-classes). The table is data so
 * the tests can list it; anything unknown is `other` with its raw code kept for debugging.
 */
export const ERROR_CLASS_BY_CODE: Readonly<Record<string, ErrorClass>> = {
  // Nothing listening: the pod is gone or not yet listening.
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  EADDRNOTAVAIL: 'refused',
  // The peer aborted the connection (RST) or we wrote into a dead socket.
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  // The peer closed (FIN) a socket with our request on it, e.g. a process exiting with a keep-alive
  // connection open, or the keep-alive race of docs/reference/node-http.md#keep-alive-race.
  UND_ERR_SOCKET: 'socket-closed',
  // No answer in time: hung, SIGSTOPped, or a connect that never completed.
  TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

export interface ClassifiedFailure {
  error: ErrorClass;
  /** Raw code for debugging (`ECONNRESET`, `UND_ERR_SOCKET`, `HTTP_503`, ...). */
  code: string;
}

/** The raw code of a thrown error; undici and Node put it on `code`, sometimes on `cause.code`. */
export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; cause?: unknown; name?: unknown };
    if (typeof e.code === 'string' && e.code !== '') return e.code;
    const cause = e.cause as { code?: unknown } | undefined;
    if (cause && typeof cause.code === 'string' && cause.code !== '') return cause.code;
    if (e.name === 'TimeoutError') return 'TIMEOUT';
    if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  }
  return 'UNKNOWN';
}

/** Classifies a thrown error (transport failure: no usable response). */
export function classifyError(err: unknown): ClassifiedFailure {
  const code = errorCode(err);
  return { error: ERROR_CLASS_BY_CODE[code] ?? 'other', code };
}

/**
 * Classifies a response status. 200–399 is success (k6's default `expected_response`); 5xx is
 * `http-5xx` (the proxy's 502/503, an app's 503 while draining); any other status is `other`,
 * because a 404 or 429 during a rollout is a dropped request too. Returns undefined for success.
 */
export function classifyStatus(status: number): ClassifiedFailure | undefined {
  if (status >= 200 && status < 400) return undefined;
  if (status >= 500 && status < 600) return { error: 'http-5xx', code: `HTTP_${status}` };
  return { error: 'other', code: `HTTP_${status}` };
}
