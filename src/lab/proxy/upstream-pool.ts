import type { Socket } from 'node:net';
import { buildConnector, Pool } from 'undici';

/**
 * A keep-alive pool to one endpoint that behaves like nginx's upstream keepalive: idle sockets
 * are kept exactly `idleMs`, whatever the server's `Keep-Alive: timeout` hint says. undici
 * normally shortens its idle timeout to the hint minus `keepAliveTimeoutThreshold`; with a
 * threshold of minus a day the hint can only grow past `keepAliveMaxTimeout`, which caps it back
 * to `idleMs`. nginx ignores the hint, and that is what makes the keep-alive race of
 * docs/reference/node-http.md#keep-alive-race possible, so the lab must too.
 *
 * `pipelining: 1` and no retry interceptor: a request that fails on a socket is never replayed.
 * Closing the pool (endpoint removed) finishes requests in flight and closes idle sockets at once.
 */
const IGNORE_HINT_MS = -86_400_000;

export interface UpstreamPoolOptions {
  idleMs: number;
  connectTimeoutMs: number;
  /**
   * How late the proxy learns that the app closed a pooled connection (FIN). On loopback the FIN
   * arrives within microseconds and the pool drops the socket before reusing it, so the keep-alive
   * race of docs/reference/node-http.md#keep-alive-race almost never fires; across a real network the FIN is in flight for the link's
   * latency, and a request written in that window is reset. Default 0: loopback as it is.
   */
  closeNoticeDelayMs?: number;
}

export function upstreamPool(origin: string, options: UpstreamPoolOptions): Pool {
  const delay = options.closeNoticeDelayMs ?? 0;
  const base = buildConnector({ timeout: options.connectTimeoutMs, noDelay: true });
  return new Pool(origin, {
    pipelining: 1,
    keepAliveTimeout: options.idleMs,
    keepAliveMaxTimeout: options.idleMs,
    keepAliveTimeoutThreshold: IGNORE_HINT_MS,
    connect: delay > 0 ? (opts, callback) => base(opts, (err, socket) => (err ? callback(err, null) : callback(null, delayCloseNotice(socket!, delay)))) : base,
    // The proxy has no response timeout of its own (nginx's proxy_read_timeout is 60 s; the lab's
    // slow requests must finish): the client's timeout governs.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}

/**
 * Holds back the peer's FIN by `delayMs`, as a network link would: the end-of-stream push is
 * deferred, so for that long the socket looks open and may be reused. A request written in the
 * window then fails when the FIN arrives ("other side closed", nginx's "upstream prematurely
 * closed connection"), which the proxy answers with a 502.
 */
function delayCloseNotice<S extends Socket>(socket: S, delayMs: number): S {
  const push = socket.push.bind(socket);
  socket.push = ((chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk !== null) return push(chunk, encoding);
    // Skipped when the socket was torn down meanwhile: its owner has cleaned up already.
    setTimeout(() => socket.destroyed || push(null), delayMs);
    return false;
  }) as S['push'];
  return socket;
}
