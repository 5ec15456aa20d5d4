import type { EventStream } from '../../events/stream.js';
import type { DelayRange } from '../endpoints/delay.js';
import type { EndpointConsumer } from '../endpoints/controller.js';
import { startProxy, type ProxyMode, type TrafficProxy } from '../proxy/index.js';
import { startNodeLocal } from './node-local.js';
import type { TrafficProfile } from './profile.js';
import { startIpTargets } from './target-group.js';

/**
 * What stands between the load and the pods in one run: where the load is sent, the consumers the
 * endpoints controller feeds, and how to tell that they all send to exactly the ready pods.
 */
export interface LabTraffic {
  /** `http://127.0.0.1:PORT/`: where the load generator sends. */
  url: string;
  /** The consumer clients talk to (for messages and the converged check). */
  front: TrafficProxy;
  consumers: EndpointConsumer[];
  /** A pod was created (node-local places it on a node). */
  podCreated?(pod: string): void;
  /** A pod object is gone. */
  podGone?(pod: string): void;
  /**
   * Before the measured window the cluster is converged: a consumer that learns by health checks
   * takes the state its checks would have settled on, instead of waiting intervals × threshold.
   */
  settle?(): void;
  /** Every consumer sends new traffic to exactly these pods, and nowhere else. */
  converged(readyPods: ReadonlySet<string>): boolean;
  close(): Promise<void>;
}

export interface TrafficOptions {
  events: EventStream;
  proxy: { mode: ProxyMode; retries: number; upstreamKeepAliveMs?: number };
  propagation: DelayRange;
  /** The path to replay; without one, the proxy of `proxy.mode` is the only consumer. */
  profile?: TrafficProfile;
}

/** Starts the consumers of a run's traffic path (src/lab/paths/README.md). */
export async function startTraffic(o: TrafficOptions): Promise<LabTraffic> {
  const profile = o.profile;
  if (profile?.mechanics === 'ip-targets') return startIpTargets(profile, o);
  if (profile?.mechanics === 'node-local') return startNodeLocal(profile, o);
  const proxy = await startProxy({
    mode: o.proxy.mode,
    events: o.events,
    retries: o.proxy.retries,
    ...(o.proxy.upstreamKeepAliveMs ? { upstreamKeepAliveMs: o.proxy.upstreamKeepAliveMs } : {}),
  });
  return {
    url: proxy.url,
    front: proxy,
    consumers: [
      {
        name: proxy.consumer,
        kind: proxy.mode === 'l4' ? 'kube-proxy' : 'ingress',
        propagation: o.propagation,
        setEndpoints: (list) => proxy.setEndpoints(list),
      },
    ],
    converged: (ready) => sendsToExactly(proxy, ready),
    close: () => proxy.close(),
  };
}

/** The proxy's view names exactly these backends. */
export function sendsToExactly(proxy: TrafficProxy, names: ReadonlySet<string>): boolean {
  const have = proxy.endpoints().map((e) => e.name);
  return have.length === names.size && have.every((n) => names.has(n));
}
