/**
 * The load-balancer keep-alive race (docs/reference/node-http.md#keep-alive-race): a proxy that pools upstream
 * connections longer than the app keeps them idle will, sooner or later, write a request on a
 * socket the app is closing, and answer 502. AWS ALB and ingress-nginx both idle out at 60 s.
 */
export const COMMON_PROXY_IDLE_TIMEOUT_MS = 60_000;

/** A warning to print, or undefined when the server's real `keepAliveTimeout` outlives common proxies. */
export function keepAliveTimeoutWarning(keepAliveTimeoutMs: unknown): string | undefined {
  if (typeof keepAliveTimeoutMs !== 'number') return undefined;
  // 0 disables Node's idle timeout entirely: no race from our side.
  if (keepAliveTimeoutMs === 0 || keepAliveTimeoutMs > COMMON_PROXY_IDLE_TIMEOUT_MS) return undefined;
  return (
    `server.keepAliveTimeout is ${keepAliveTimeoutMs} ms, at or below the ${COMMON_PROXY_IDLE_TIMEOUT_MS / 1000} s idle timeout ` +
    'of common proxies (AWS ALB, ingress-nginx): a proxy can reuse a connection the app is closing and answer 502. ' +
    'Set server.keepAliveTimeout = 65_000 and server.headersTimeout = 66_000 when running behind one.'
  );
}
