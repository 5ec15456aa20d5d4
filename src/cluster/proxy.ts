import { BlockList, isIP } from 'node:net';

/** The proxy a request goes through, and what chose it (for messages). */
export interface ProxyChoice {
  url: string;
  /** `proxy-url of cluster "x"`, `HTTPS_PROXY`, `http_proxy`, ... */
  source: string;
}

/** Hosts that are this machine: never proxied from the environment, and the only plain-HTTP hosts that get credentials. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

const envAny = (env: NodeJS.ProcessEnv, ...names: string[]): { name: string; value: string } | undefined => {
  for (const name of names) {
    const value = env[name];
    if (value) return { name, value };
  }
  return undefined;
};

/**
 * The proxy for one API request, as kubectl picks it: the cluster's `proxy-url` when set
 * (client-go uses it for every request), otherwise HTTPS_PROXY for https:// and HTTP_PROXY for
 * http:// servers (upper case first, then lower case), unless NO_PROXY matches the host or the host
 * is loopback (Go's net/http ProxyFromEnvironment, golang.org/x/net/http/httpproxy).
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv, cluster: { name: string; proxyUrl?: string }): ProxyChoice | undefined {
  if (cluster.proxyUrl) return { url: cluster.proxyUrl, source: `proxy-url of cluster "${cluster.name}"` };
  const https = target.protocol === 'https:';
  const chosen = https ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  if (!chosen) return undefined;
  const port = target.port || (https ? '443' : '80');
  if (isLoopbackHost(target.hostname) || noProxyMatches(envAny(env, 'NO_PROXY', 'no_proxy')?.value ?? '', target.hostname, port)) return undefined;
  // A proxy given as host:port means http://host:port (httpproxy parseProxy).
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen.value) ? chosen.value : `http://${chosen.value}`;
  return { url, source: chosen.name };
}

/**
 * NO_PROXY as Go reads it: comma-separated entries; `*` matches everything; an IP or a CIDR
 * matches IP hosts; a name matches itself and its subdomains (`.example.com` and `*.example.com`
 * only subdomains); an entry with `:port` matches only that port.
 */
export function noProxyMatches(noProxy: string, hostname: string, port: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ipFamily = isIP(host);
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      const [net, bits] = entry.split('/');
      const family = isIP(net ?? '');
      if (ipFamily !== 0 && family === ipFamily) {
        const list = new BlockList();
        list.addSubnet(net!, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
        if (list.check(host, family === 6 ? 'ipv6' : 'ipv4')) return true;
      }
      continue;
    }
    let entryPort = '';
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (m) {
      entry = m[1]!;
      entryPort = m[2]!;
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entryPort !== '' && entryPort !== port) continue;
    if (isIP(entry) !== 0) {
      if (ipFamily !== 0 && entry === host) return true;
      continue;
    }
    if (ipFamily !== 0) continue;
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.') ? host.endsWith(entry) : host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}
