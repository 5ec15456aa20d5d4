import { startL4Proxy } from './l4-proxy.js';
import { startL7Proxy } from './l7-proxy.js';
import type { ProxyOptions, TrafficProxy } from './types.js';

export { diffEndpoints, endpointKey, RoundRobin, validateEndpoints, type Endpoint, type EndpointDiff } from './endpoints.js';
export type { ProxyMode, ProxyOptions, TrafficProxy } from './types.js';
export { startL7Proxy, PROXY_ERROR_HEADER } from './l7-proxy.js';
export { startL4Proxy, type L4Proxy } from './l4-proxy.js';
export { startNginxIngress, nginxAvailable, NGINX_BINARY, type NginxIngressOptions, type NginxIngress } from './nginx-ingress.js';
export { renderNginxConfig, type NginxConfigInput } from './nginx-config.js';

/** Starts the lab's proxy in the requested mode (`l7` by default). */
export function startProxy(options: ProxyOptions = {}): Promise<TrafficProxy> {
  return options.mode === 'l4' ? startL4Proxy(options) : startL7Proxy(options);
}
