import { startL4Proxy, type L4Proxy } from './l4-proxy.js';
import { startL7Proxy } from './l7-proxy.js';
import { startNginxIngress, type NginxIngress } from './nginx-ingress.js';
import type { ProxyOptions, TrafficProxy } from './types.js';

export { diffEndpoints, endpointKey, RoundRobin, validateEndpoints, type Endpoint, type EndpointDiff } from './endpoints.js';
export { PROXY_DEFAULTS, resolveProxyOptions, type ResolvedProxyOptions } from './defaults.js';
export type { ProxyMode, ProxyOptions, TrafficProxy } from './types.js';
export { startL7Proxy, PROXY_ERROR_HEADER } from './l7-proxy.js';
export { startL4Proxy, type L4Proxy } from './l4-proxy.js';
export { startNginxIngress, nginxAvailable, NGINX_BINARY, type NginxIngressOptions, type NginxIngress } from './nginx-ingress.js';
export { renderNginxConfig, type NginxConfigInput } from './nginx-config.js';

/**
 * Starts the lab's traffic consumer in the requested mode (`l7` by default): the ingress-like
 * proxy, the kube-proxy-like L4 proxy or real nginx, all with the defaults of PROXY_DEFAULTS.
 */
export function startProxy(options: ProxyOptions & { mode: 'l4' }): Promise<L4Proxy>;
export function startProxy(options: ProxyOptions & { mode: 'nginx' }): Promise<NginxIngress>;
export function startProxy(options?: ProxyOptions): Promise<TrafficProxy>;
export function startProxy(options: ProxyOptions = {}): Promise<TrafficProxy> {
  if (options.mode === 'nginx') return startNginxIngress(options);
  return options.mode === 'l4' ? startL4Proxy(options) : startL7Proxy(options);
}
