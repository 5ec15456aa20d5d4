import { createServer, type Server } from 'node:http';
import type { EndpointConsumer } from '../endpoints/controller.js';
import { listen } from '../proxy/listen.js';
import { startL4Proxy, type L4Proxy } from '../proxy/index.js';
import { HealthChecker, httpProbe } from './healthChecks.js';
import type { TrafficProfile } from './profile.js';
import { sendsToExactly, type LabTraffic, type TrafficOptions } from './traffic.js';

/** One lab node: its kube-proxy (local endpoints only) and kube-proxy's health check node port. */
interface LabNode {
  name: string;
  proxy: L4Proxy;
  health: Server;
  healthPort: number;
  /** Ready (not terminating) local endpoints, as this node's kube-proxy sees them. */
  readyLocal: number;
}

/**
 * A `type: LoadBalancer` Service with `externalTrafficPolicy: Local`
 * (https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1669-proxy-terminating-endpoints):
 *
 * - Pods are placed on `profile.nodes` lab nodes, each new pod on the node with the fewest pods
 *   of the workload (terminating ones count until they are gone), ties to the lowest number.
 * - Each node runs a kube-proxy (the L4 proxy) that forwards only to the pods on that node:
 *   ready ones, else, when only terminating ones are left, those still serving (KEP-1669's
 *   fallback). With no local endpoint at all the traffic is dropped: the connection is held
 *   unanswered until the client gives up.
 * - Each node answers kube-proxy's health check (healthCheckNodePort) with 200 while it has a
 *   ready local endpoint and 503 otherwise; terminating endpoints never count, so a node whose
 *   pods are all terminating fails at once.
 * - The load balancer (L4, it pins connections) sends to the nodes whose check passes; a node
 *   leaves after `unhealthyThreshold` failed checks, `intervalSeconds` apart, and comes back
 *   after `healthyThreshold` passes. Until it leaves, it gets new connections: a node whose only
 *   pod is being replaced serves them from the terminating pod while it still serves, and drops
 *   them once it has exited.
 */
export async function startNodeLocal(profile: TrafficProfile, o: TrafficOptions): Promise<LabTraffic> {
  const count = profile.nodes ?? 1;
  const nodes: LabNode[] = [];
  const placement = new Map<string, number>();
  const hc = profile.healthCheck!;
  const lb = await startL4Proxy({ consumer: 'load-balancer', events: o.events });
  const checks = new HealthChecker(hc, (name, healthy) => {
    o.events.emit({
      type: 'note',
      level: 'info',
      message: `load balancer: ${name} ${healthy ? `back after ${hc.healthyThreshold} passed health checks` : `out after ${hc.unhealthyThreshold} failed health checks`}`,
    });
    apply();
  });
  // Until the first node has passed its checks the load balancer has no target; after that,
  // every node failing at once makes it fail open.
  const apply = (): void => {
    const healthy = nodes.filter((n) => checks.isHealthy(n.name));
    // Every node failing its check: the load balancer fails open and uses them all.
    const use = healthy.length > 0 ? healthy : nodes;
    void lb.setEndpoints(use.map((n) => ({ name: n.name, host: n.proxy.host, port: n.proxy.port })));
  };
  try {
    for (let i = 0; i < count; i++) {
      const name = `node-${i + 1}`;
      const proxy = await startL4Proxy({ consumer: `kube-proxy@${name}`, events: o.events, noEndpoints: 'blackhole' });
      const node: LabNode = { name, proxy, health: createServer(), healthPort: 0, readyLocal: 0 };
      node.health.on('request', (_req, res) => {
        const body = JSON.stringify({ localEndpoints: node.readyLocal, serviceProxyHealthy: true });
        res.writeHead(node.readyLocal > 0 ? 200 : 503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      node.healthPort = await listen(node.health, '127.0.0.1', 0);
      nodes.push(node);
      // A node starts outside the rotation: before the measured window it takes the state its
      // checks would have settled on (settle), from then on its checks decide.
      checks.add(name, httpProbe('127.0.0.1', node.healthPort, '/healthz'), false);
    }
  } catch (err) {
    await closeAll(nodes, checks, lb);
    throw err;
  }

  const consumers: EndpointConsumer[] = nodes.map((node, i) => ({
    name: node.proxy.consumer,
    kind: 'kube-proxy',
    propagation: o.propagation,
    select: (pod) => placement.get(pod) === i,
    setEndpoints: (list, slice) => {
      node.readyLocal = slice.filter((e) => e.conditions.ready).length;
      return node.proxy.setEndpoints(list);
    },
  }));

  return {
    url: lb.url,
    front: lb,
    consumers,
    podCreated: (pod) => {
      const load = nodes.map(() => 0);
      for (const n of placement.values()) load[n]!++;
      let best = 0;
      for (let i = 1; i < load.length; i++) if (load[i]! < load[best]!) best = i;
      placement.set(pod, best);
      o.events.emit({ type: 'note', level: 'info', message: `pod ${pod} placed on ${nodes[best]!.name}` });
    },
    podGone: (pod) => void placement.delete(pod),
    settle: () => {
      for (const node of nodes) checks.settle(node.name, node.readyLocal > 0);
      if (nodes.some((n) => checks.isHealthy(n.name))) apply();
    },
    converged: (ready) => {
      const wanted = new Set<string>();
      for (const [i, node] of nodes.entries()) {
        const local = new Set([...ready].filter((p) => placement.get(p) === i));
        if (!sendsToExactly(node.proxy, local)) return false;
        if (local.size > 0) wanted.add(node.name);
      }
      return sendsToExactly(lb, wanted);
    },
    close: () => closeAll(nodes, checks, lb),
  };
}

async function closeAll(nodes: readonly LabNode[], checks: HealthChecker, lb: L4Proxy): Promise<void> {
  checks.close();
  await lb.close().catch(() => undefined);
  for (const n of nodes) {
    n.health.closeAllConnections();
    await new Promise<void>((resolve) => n.health.close(() => resolve()));
    await n.proxy.close().catch(() => undefined);
  }
}
