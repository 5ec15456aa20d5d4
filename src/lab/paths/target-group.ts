import { endpointKey, startProxy, type Endpoint } from '../proxy/index.js';
import { HealthChecker, httpProbe, tcpProbe } from './healthChecks.js';
import type { TrafficProfile } from './profile.js';
import { sendsToExactly, type LabTraffic, type TrafficOptions } from './traffic.js';

/**
 * A cloud load balancer with IP targets (AWS ALB/NLB `target-type: ip`, GKE NEG, AGIC): it sends
 * straight to pod IPs, bypassing kube-proxy, from a target group of its own.
 *
 * - **Registration and deregistration** follow the EndpointSlice `removalSeconds` late: the
 *   controller that programs the target group sees each change, and the load balancer acts on it,
 *   that long after it happened. A terminating pod therefore keeps getting new requests (or, with
 *   `pinsConnections`, new connections) until `removalSeconds` after its deletion, and a new pod
 *   gets none until as long after it turned ready (a rollout without a readiness gate does not
 *   wait for that).
 * - **Health checks**: the load balancer probes every target itself (HTTP GET `/`, or a TCP
 *   connect for a connection-pinning NLB) and takes one out after `unhealthyThreshold`
 *   consecutive failures, so a pod that exited before its deregistration is noticed only after
 *   that many intervals. When every registered target is unhealthy it sends to all of them
 *   (ELB's fail-open).
 * - **Draining**: a target that leaves finishes what it has in flight (L7), or keeps its
 *   established connections (L4), as the ELB deregistration delay allows.
 */
export async function startIpTargets(profile: TrafficProfile, o: TrafficOptions): Promise<LabTraffic> {
  const lb = await startProxy({
    mode: profile.pinsConnections ? 'l4' : 'l7',
    consumer: profile.kind,
    events: o.events,
    retries: o.proxy.retries,
    ...(o.proxy.upstreamKeepAliveMs && !profile.pinsConnections ? { upstreamKeepAliveMs: o.proxy.upstreamKeepAliveMs } : {}),
  });
  let registered: Endpoint[] = [];
  const apply = (): void => {
    const healthy = registered.filter((e) => checks.isHealthy(endpointKey(e)));
    void lb.setEndpoints(healthy.length > 0 ? healthy : registered);
  };
  const hc = profile.healthCheck!;
  const checks = new HealthChecker(hc, (key, healthy) => {
    const pod = registered.find((e) => endpointKey(e) === key)?.name ?? key;
    o.events.emit({
      type: 'note',
      level: 'info',
      message: `${profile.label}: target ${pod} ${healthy ? `healthy again after ${hc.healthyThreshold} checks` : `unhealthy after ${hc.unhealthyThreshold} failed checks`}`,
    });
    apply();
  });
  const removalMs = profile.removalSeconds * 1000;
  return {
    url: lb.url,
    front: lb,
    consumers: [
      {
        name: `${profile.kind} target group`,
        kind: 'ingress',
        propagation: { minMs: removalMs, maxMs: removalMs },
        setEndpoints: (list) => {
          const keys = new Set(list.map(endpointKey));
          for (const e of registered) if (!keys.has(endpointKey(e))) checks.remove(endpointKey(e));
          // A target enters the rotation as it is registered; from then on its health checks decide.
          for (const e of list) checks.add(endpointKey(e), profile.pinsConnections ? tcpProbe(e.host, e.port) : httpProbe(e.host, e.port), true);
          registered = [...list];
          apply();
        },
      },
    ],
    converged: (ready) => sendsToExactly(lb, ready),
    close: async () => {
      checks.close();
      await lb.close();
    },
  };
}
