import type { EventStream } from '../../events/stream.js';
import type { Endpoint } from '../proxy/endpoints.js';
import { sampleDelay, type DelayRange } from './delay.js';
import { endpointsForConsumer, podToEndpoint, type ConsumerKind, type EndpointSourcePod, type ResolvedEndpoint } from '../../k8s/endpointSlice.js';

/** A traffic consumer (the proxy) and how late it learns about slice changes. */
export interface EndpointConsumer {
  name: string;
  kind: ConsumerKind;
  /** docs/reference/traffic-routing.md#propagation-latency: each consumer sees a change after its own delay, drawn per change. */
  propagation: DelayRange;
  /**
   * Which pods this consumer sees at all, before its own rules pick endpoints: a node's kube-proxy
   * under `externalTrafficPolicy: Local` sees only the pods on its node. Default: every pod.
   */
  select?: (pod: string) => boolean;
  /**
   * The endpoints it sends new traffic to, and the slice they were picked from (conditions
   * included, already narrowed by `select`), for consumers that answer health checks from it.
   */
  setEndpoints(endpoints: readonly Endpoint[], slice: readonly ResolvedEndpoint[]): Promise<void> | void;
}

/**
 * The EndpointSlice controller plus the propagation to each consumer (docs/reference/traffic-routing.md#endpointslice-conditions, docs/reference/traffic-routing.md#propagation-latency, docs/reference/pod-termination.md#at-the-delete).
 * The slice itself is updated at once (batch period 0 by default, docs/reference/traffic-routing.md#endpointslice-conditions); each consumer receives
 * snapshots in order, each after its own sampled delay, never overtaking an earlier one.
 */
export class EndpointsController {
  private slice: ResolvedEndpoint[] = [];
  private readonly lastDelivery = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly chains = new Map<string, Promise<void>>();
  private closed = false;
  /** Before the measured window: the cluster is already converged, so changes reach consumers at once. */
  converged = true;

  constructor(
    private readonly events: EventStream,
    private readonly consumers: EndpointConsumer[],
    private readonly random: () => number,
  ) {}

  /** Recomputes the slice from every pod; publishes it when it changed. */
  update(pods: readonly EndpointSourcePod[]): void {
    if (this.closed) return;
    const next = pods.map((p) => podToEndpoint(p)).filter((e): e is ResolvedEndpoint => e !== undefined);
    if (sameSlice(this.slice, next)) return;
    this.emitSliceChanges(this.slice, next);
    this.slice = next;
    for (const consumer of this.consumers) this.schedule(consumer, next);
  }

  current(): ResolvedEndpoint[] {
    return this.slice.map((e) => ({ ...e, conditions: { ...e.conditions } }));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /**
   * Queues a snapshot for one consumer. Deliveries are strictly ordered per consumer: each waits
   * for its own delay and for the previous delivery (an ingress applies its syncs in order), so a
   * later snapshot never overtakes an earlier one.
   */
  private schedule(consumer: EndpointConsumer, slice: ResolvedEndpoint[]): void {
    const now = performance.now();
    const delay = this.converged ? 0 : sampleDelay(consumer.propagation, this.random);
    const at = Math.max(now + delay, this.lastDelivery.get(consumer.name) ?? 0);
    this.lastDelivery.set(consumer.name, at);
    const seen = consumer.select ? slice.filter((e) => consumer.select!(e.pod)) : slice;
    const list = endpointsForConsumer(consumer.kind, seen).map((e) => ({ name: e.pod, host: e.host, port: e.port }));
    const previous = this.chains.get(consumer.name) ?? Promise.resolve();
    const next = previous.then(
      () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(
            () => {
              this.timers.delete(timer);
              if (this.closed) return resolve();
              Promise.resolve(consumer.setEndpoints(list, seen))
                .catch((err: unknown) => {
                  this.events.emit({ type: 'note', level: 'warn', message: `${consumer.name}: endpoint update failed: ${(err as Error).message}` });
                })
                .finally(resolve);
            },
            Math.max(0, at - performance.now()),
          );
          this.timers.add(timer);
        }),
    );
    this.chains.set(consumer.name, next);
  }

  /** `endpoint` events for the control plane's view (consumer `endpointslice`). */
  private emitSliceChanges(before: ResolvedEndpoint[], after: ResolvedEndpoint[]): void {
    const prev = new Map(before.map((e) => [e.pod, e]));
    const next = new Map(after.map((e) => [e.pod, e]));
    for (const [pod, e] of next) {
      const old = prev.get(pod);
      if (!old || !sameConditions(old, e))
        this.events.emit({ type: 'endpoint', pod, consumer: 'endpointslice', change: 'added', conditions: { ...e.conditions } });
    }
    for (const [pod, e] of prev) {
      if (!next.has(pod)) this.events.emit({ type: 'endpoint', pod, consumer: 'endpointslice', change: 'removed', conditions: { ...e.conditions } });
    }
  }
}

function sameConditions(a: ResolvedEndpoint, b: ResolvedEndpoint): boolean {
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.conditions.ready === b.conditions.ready &&
    a.conditions.serving === b.conditions.serving &&
    a.conditions.terminating === b.conditions.terminating
  );
}

function sameSlice(a: ResolvedEndpoint[], b: ResolvedEndpoint[]): boolean {
  if (a.length !== b.length) return false;
  const m = new Map(a.map((e) => [e.pod, e]));
  return b.every((e) => {
    const o = m.get(e.pod);
    return o !== undefined && sameConditions(o, e);
  });
}
