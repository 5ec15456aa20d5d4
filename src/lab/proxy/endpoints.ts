import type { EventStream } from '../../events/stream.js';

/** One backend a traffic consumer may send to: a ready pod's address as the endpoints controller publishes it. */
export interface Endpoint {
  /** Pod name; returned to clients in the `x-zerodrop-pod` header. */
  name: string;
  host: string;
  port: number;
}

export function endpointKey(e: Endpoint): string {
  return `${e.name}@${e.host}:${e.port}`;
}

export interface EndpointDiff {
  added: Endpoint[];
  removed: Endpoint[];
  kept: Endpoint[];
}

/** What changed between a consumer's old and new view (identity is name + address). */
export function diffEndpoints(previous: readonly Endpoint[], next: readonly Endpoint[]): EndpointDiff {
  const before = new Map(previous.map((e) => [endpointKey(e), e]));
  const after = new Map(next.map((e) => [endpointKey(e), e]));
  return {
    added: [...after].filter(([k]) => !before.has(k)).map(([, e]) => e),
    removed: [...before].filter(([k]) => !after.has(k)).map(([, e]) => e),
    kept: [...after].filter(([k]) => before.has(k)).map(([, e]) => e),
  };
}

/** Rejects lists the proxy cannot route (duplicate addresses, bad ports) before anything changes. */
export function validateEndpoints(endpoints: readonly Endpoint[]): void {
  const seen = new Set<string>();
  for (const e of endpoints) {
    if (!e.name) throw new TypeError('endpoint without a name');
    if (!Number.isInteger(e.port) || e.port <= 0 || e.port > 65535) throw new TypeError(`endpoint ${e.name}: bad port ${e.port}`);
    const key = endpointKey(e);
    if (seen.has(key)) throw new TypeError(`endpoint listed twice: ${key}`);
    seen.add(key);
  }
}

/** Emits one `endpoint` event per change, so a report can show when each consumer's view moved. */
export function emitEndpointChanges(events: EventStream | undefined, consumer: string, diff: EndpointDiff): void {
  if (!events) return;
  for (const e of diff.added) events.emit({ type: 'endpoint', pod: e.name, consumer, change: 'added' });
  for (const e of diff.removed) events.emit({ type: 'endpoint', pod: e.name, consumer, change: 'removed' });
}

/**
 * Round robin over a list that changes under it. The cursor survives list changes (no reset to the
 * first endpoint, which would pile every change's first requests onto one pod).
 */
export class RoundRobin {
  private cursor = 0;

  /** Next endpoint not in `exclude` (retries go elsewhere), or undefined when none is left. */
  pick(endpoints: readonly Endpoint[], exclude?: ReadonlySet<string>): Endpoint | undefined {
    const n = endpoints.length;
    for (let i = 0; i < n; i++) {
      const candidate = endpoints[this.cursor++ % n]!;
      if (this.cursor >= Number.MAX_SAFE_INTEGER) this.cursor = 0;
      if (!exclude?.has(endpointKey(candidate))) return candidate;
    }
    return undefined;
  }
}

/**
 * One consumer's current view of the endpoints: validates a new list, works out what changed,
 * records it as events. Each proxy acts on the returned diff (open pools, retire them).
 */
export class EndpointView {
  private list: Endpoint[] = [];

  constructor(
    private readonly consumer: string,
    private readonly events?: EventStream,
  ) {}

  get current(): readonly Endpoint[] {
    return this.list;
  }

  replace(next: readonly Endpoint[]): EndpointDiff {
    validateEndpoints(next);
    const diff = diffEndpoints(this.list, next);
    this.list = [...next];
    emitEndpointChanges(this.events, this.consumer, diff);
    return diff;
  }
}
