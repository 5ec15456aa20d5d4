import { Pool } from 'undici';

/**
 * A keep-alive pool to one endpoint that behaves like nginx's upstream keepalive: idle sockets
 * are kept exactly `idleMs`, whatever the server's `Keep-Alive: timeout` hint says. undici
 * normally shortens its idle timeout to the hint minus `keepAliveTimeoutThreshold`; with a
 * threshold of minus a day the hint can only grow past `keepAliveMaxTimeout`, which caps it back
 * to `idleMs`. nginx ignores the hint, and that is what makes the keep-alive race of
 * kubernetes-semantics §7.3 possible, so the lab must too.
 *
 * `pipelining: 1` and no retry interceptor: a request that fails on a socket is never replayed.
 * Closing the pool (endpoint removed) finishes requests in flight and closes idle sockets at once.
 */
const IGNORE_HINT_MS = -86_400_000;

export function upstreamPool(origin: string, idleMs: number, connectTimeoutMs: number): Pool {
  return new Pool(origin, {
    pipelining: 1,
    keepAliveTimeout: idleMs,
    keepAliveMaxTimeout: idleMs,
    keepAliveTimeoutThreshold: IGNORE_HINT_MS,
    connect: { timeout: connectTimeoutMs },
    // The proxy has no response timeout of its own (nginx's proxy_read_timeout is 60 s; the lab's
    // slow requests must finish): the client's timeout governs.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}
