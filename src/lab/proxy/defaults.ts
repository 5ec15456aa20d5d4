import type { EventStream } from '../../events/stream.js';
import type { Endpoint } from './endpoints.js';
import type { ProxyMode, ProxyOptions } from './types.js';

/**
 * What each consumer does when not told otherwise: one table for the three, so a setting means
 * the same wherever it applies. Loopback only. The upstream keep-alive differs on purpose: the
 * built-in L7 proxy stays below Node's 5 s server default so the keep-alive race
 * (docs/reference/node-http.md#keep-alive-race) only happens when a scenario asks for it, while
 * real nginx keeps ingress-nginx's 60 s (docs/reference/traffic-routing.md#ingress-and-load-balancers).
 */
export const PROXY_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  retries: 0,
  connectTimeoutMs: 2000,
  upstreamCloseNoticeDelayMs: 0,
  noEndpoints: 'reset',
  /** L4 `blackhole`: a held connection is let go after this long (every load loop is bounded). */
  blackholeHoldMs: 30_000,
  podHeader: 'x-zerodrop-pod',
  /** nginx: how long to wait for start and for each reload. */
  readyTimeoutMs: 5000,
  consumer: { l7: 'proxy', l4: 'l4', nginx: 'nginx' },
  upstreamKeepAliveMs: { l7: 4000, l4: 0, nginx: 60_000 },
} as const;

/** ProxyOptions with every default filled in, as each implementation reads them. */
export interface ResolvedProxyOptions {
  mode: ProxyMode;
  host: string;
  port: number;
  endpoints: readonly Endpoint[];
  retries: number;
  upstreamKeepAliveMs: number;
  upstreamCloseNoticeDelayMs: number;
  connectTimeoutMs: number;
  noEndpoints: 'reset' | 'blackhole';
  events: EventStream | undefined;
  consumer: string;
  /** Lower-cased, as HTTP header names compare. */
  podHeader: string;
  readyTimeoutMs: number;
}

export function resolveProxyOptions(mode: ProxyMode, options: ProxyOptions): ResolvedProxyOptions {
  const d = PROXY_DEFAULTS;
  return {
    mode,
    host: options.host ?? d.host,
    port: options.port && options.port > 0 ? options.port : d.port,
    endpoints: options.endpoints ?? [],
    retries: Math.max(0, options.retries ?? d.retries),
    upstreamKeepAliveMs: options.upstreamKeepAliveMs ?? d.upstreamKeepAliveMs[mode],
    upstreamCloseNoticeDelayMs: options.upstreamCloseNoticeDelayMs ?? d.upstreamCloseNoticeDelayMs,
    connectTimeoutMs: options.connectTimeoutMs ?? d.connectTimeoutMs,
    noEndpoints: options.noEndpoints ?? d.noEndpoints,
    events: options.events,
    consumer: options.consumer ?? d.consumer[mode],
    podHeader: (options.podHeader ?? d.podHeader).toLowerCase(),
    readyTimeoutMs: options.readyTimeoutMs ?? d.readyTimeoutMs,
  };
}
