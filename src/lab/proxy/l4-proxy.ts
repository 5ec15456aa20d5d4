import { createServer, connect, type Socket } from 'node:net';
import { PROXY_DEFAULTS, resolveProxyOptions } from './defaults.js';
import { EndpointView, RoundRobin } from './endpoints.js';
import { serveNodeProxy } from './nodeProxy.js';
import type { ProxyOptions, TrafficProxy } from './types.js';

export interface L4Proxy extends TrafficProxy {
  /** Open client connections per pod, pinned ones to removed pods included. */
  connectionsByPod(): Record<string, number>;
}

/**
 * The kube-proxy-like Service (docs/reference/traffic-routing.md#kube-proxy): one endpoint per *connection*, round
 * robin, bytes piped both ways. Removing an endpoint only affects new connections; established
 * ones stay pinned to their pod until either side closes, because kube-proxy never deletes TCP
 * conntrack entries. New connections with no endpoints are reset, or held unanswered
 * (`noEndpoints: 'blackhole'`, a node without a local endpoint).
 *
 * Deliberate difference: iptables DNAT makes a refused pod port look like ECONNREFUSED to the
 * client; a userspace proxy has already accepted, so the client sees a reset instead.
 */
export async function startL4Proxy(options: ProxyOptions = {}): Promise<L4Proxy> {
  const o = resolveProxyOptions('l4', options);
  // Nothing to do on a change beyond the view: established connections are never touched.
  const view = new EndpointView(o.consumer, o.events);
  const rr = new RoundRobin();
  const open = new Map<Socket, string>();
  const held = new Set<Socket>();

  const server = createServer({ allowHalfOpen: true }, (client) => {
    const target = rr.pick(view.current);
    if (!target) {
      if (o.noEndpoints === 'reset') return void client.resetAndDestroy();
      // Dropped packets: nothing is read or answered; the client gives up on its own timeout.
      held.add(client);
      client.pause();
      client.on('error', () => {});
      const release = setTimeout(() => client.destroy(), PROXY_DEFAULTS.blackholeHoldMs);
      client.once('close', () => {
        clearTimeout(release);
        held.delete(client);
      });
      return;
    }
    open.set(client, target.name);
    // Forward segments as they come, like packet forwarding does; Nagle would add ~40 ms stalls.
    client.setNoDelay(true);
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    upstream.setTimeout(o.connectTimeoutMs, () => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })));
    upstream.once('connect', () => upstream.setTimeout(0));
    client.pipe(upstream);
    upstream.pipe(client);
    // An abort on one side is passed on as an abort (RST), a clean close (FIN) as a clean close (pipe).
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.resetAndDestroy());
    upstream.on('close', () => {
      if (!client.destroyed && client.writableFinished) client.destroy();
    });
    client.on('close', () => {
      open.delete(client);
      if (!upstream.destroyed) upstream.end();
    });
  });
  const proxy = await serveNodeProxy(server, view, o, { clients: () => [...open.keys(), ...held] });
  return {
    ...proxy,
    connectionsByPod: () => {
      const counts: Record<string, number> = {};
      for (const pod of open.values()) counts[pod] = (counts[pod] ?? 0) + 1;
      return counts;
    },
  };
}
