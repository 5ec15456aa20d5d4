import type { Server, Socket } from 'node:net';
import type { ResolvedProxyOptions } from './defaults.js';
import type { Endpoint, EndpointDiff, EndpointView } from './endpoints.js';
import { listen } from './listen.js';
import type { TrafficProxy } from './types.js';

export interface NodeProxyParts {
  /** Acts on a new endpoint list (the view has already been updated and its events emitted). */
  onChange?(diff: EndpointDiff): void;
  /** The client connections open right now; `close()` destroys them. */
  clients(): Iterable<Socket>;
  /** Releases what the proxy holds upstream, after the clients are cut. */
  release?(): Promise<void>;
}

/**
 * What the built-in L7 and L4 proxies share: the endpoint view that validates and records every
 * change, a server listening on the resolved address, and a close that stops listening, cuts
 * every client connection, then releases whatever the proxy holds upstream.
 */
export async function serveNodeProxy(server: Server, view: EndpointView, o: ResolvedProxyOptions, parts: NodeProxyParts): Promise<TrafficProxy> {
  const apply = (next: readonly Endpoint[]): void => {
    const diff = view.replace(next);
    parts.onChange?.(diff);
  };
  apply(o.endpoints);
  const port = await listen(server, o.host, o.port);
  return {
    mode: o.mode,
    consumer: o.consumer,
    host: o.host,
    port,
    url: `http://${o.host}:${port}/`,
    setEndpoints: async (next) => apply(next),
    endpoints: () => [...view.current],
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of parts.clients()) s.destroy();
      await parts.release?.();
      await closed;
    },
  };
}
