import type { EventStream } from '../../events/stream.js';
import type { Endpoint } from './endpoints.js';

export type ProxyMode = 'l7' | 'l4' | 'nginx';

/** A traffic consumer in front of the pods: the lab's ingress or Service. */
export interface TrafficProxy {
  readonly mode: ProxyMode;
  /** The `consumer` its `endpoint` events carry (`proxy`, `l4`, `nginx` unless renamed). */
  readonly consumer: string;
  readonly host: string;
  readonly port: number;
  /** `http://host:port/` for clients (the load generator). */
  readonly url: string;
  /**
   * Replaces the proxy's view of the endpoints. The lab's endpoints controller calls it after the
   * consumer's propagation delay (docs/reference/traffic-routing.md#propagation-latency). Resolves once new requests (L7) or
   * new connections (L4) use the new list; for nginx, once the reload has taken effect.
   */
  setEndpoints(endpoints: readonly Endpoint[]): Promise<void>;
  /** The current view. */
  endpoints(): Endpoint[];
  /** Stops listening, closes every connection it holds, releases the port. */
  close(): Promise<void>;
}

/** Options of every consumer; the defaults are in defaults.ts (PROXY_DEFAULTS). */
export interface ProxyOptions {
  /** `l7` (default): ingress-like, per request. `l4`: kube-proxy-like, per connection. `nginx`: real nginx. */
  mode?: ProxyMode;
  /** Listen address. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Listen port. Default 0: a free port, see `proxy.port`. */
  port?: number;
  endpoints?: readonly Endpoint[];
  /** L7 and nginx: extra attempts for idempotent requests on another endpoint (ingress-nginx's proxy_next_upstream). Default 0. */
  retries?: number;
  /**
   * L7 and nginx: how long an idle pooled upstream connection is kept. The server's
   * `Keep-Alive: timeout` hint is ignored, as nginx ignores it, so a value above the app's
   * keepAliveTimeout reproduces the keep-alive race of docs/reference/node-http.md#keep-alive-race. Default 4000 ms
   * for L7: below Node's 5 s default, so the race only happens when a scenario asks for it.
   * ingress-nginx uses 60 s (docs/reference/traffic-routing.md#ingress-and-load-balancers), and so does the nginx mode.
   */
  upstreamKeepAliveMs?: number;
  /**
   * L7 only: how late the proxy learns that the app closed a pooled upstream connection, emulating
   * a network link's latency. Default 0. On loopback the close is seen at once and the keep-alive
   * race of docs/reference/node-http.md#keep-alive-race almost never fires; a few ms makes it as likely as across a
   * real network (see upstream-pool.ts).
   */
  upstreamCloseNoticeDelayMs?: number;
  /**
   * L4 only: what a new connection meets when there is no endpoint. `reset` (default): it is reset
   * at once. `blackhole`: it is held open and never answered, as kube-proxy's DROP rule does for a
   * node without a local endpoint under `externalTrafficPolicy: Local`
   * (https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1669-proxy-terminating-endpoints):
   * the client times out.
   */
  noEndpoints?: 'reset' | 'blackhole';
  /** L7/L4: upstream connect timeout. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Receives an `endpoint` event per change of this proxy's view. */
  events?: EventStream;
  /** `consumer` field of those events. Default `proxy` (L7), `l4` or `nginx`. */
  consumer?: string;
  /** L7 and nginx: response header naming the pod. Default `x-zerodrop-pod`. */
  podHeader?: string;
  /** nginx only: the binary. Default `$ZERODROP_NGINX` or /usr/sbin/nginx. */
  binary?: string;
  /** nginx only: how long to wait for start and for each reload. Default 5000 ms. */
  readyTimeoutMs?: number;
}
