import { createServer, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import type { Dispatcher, Pool } from 'undici';
import { diffEndpoints, emitEndpointChanges, endpointKey, RoundRobin, validateEndpoints, type Endpoint } from './endpoints.js';
import type { ProxyOptions, TrafficProxy } from './types.js';
import { upstreamPool } from './upstream-pool.js';

/** Request headers undici refuses or that belong to one hop only. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);
/** Methods ingress-nginx retries on another upstream; POST, LOCK and PATCH are not (nginx `proxy_next_upstream`). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Header carrying the upstream error code on a 502/503, for attributing failures. */
export const PROXY_ERROR_HEADER = 'x-zerodrop-proxy-error';

interface Upstream {
  endpoint: Endpoint;
  pool: Pool;
}

/**
 * The ingress-like proxy (kubernetes-semantics §1.5): round robin per request over the current
 * endpoints, a keep-alive pool per endpoint (upstream-pool.ts), 502 on upstream connect failure or
 * reset, 503 with no endpoints, no retries unless asked. The server side is node:http; upstream
 * calls go through undici's low-level `dispatch`, which streams the response straight into the
 * client's response with backpressure and costs far less per request than http.request.
 */
export async function startL7Proxy(options: ProxyOptions = {}): Promise<TrafficProxy> {
  const host = options.host ?? '127.0.0.1';
  const retries = Math.max(0, options.retries ?? 0);
  const idleMs = options.upstreamKeepAliveMs ?? 4000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const podHeader = (options.podHeader ?? 'x-zerodrop-pod').toLowerCase();
  const consumer = options.consumer ?? 'proxy';
  const events = options.events;
  const rr = new RoundRobin();
  let current: Endpoint[] = [];
  const upstreams = new Map<string, Upstream>();
  const clientSockets = new Set<Socket>();

  const apply = (next: readonly Endpoint[]): void => {
    validateEndpoints(next);
    const diff = diffEndpoints(current, next);
    for (const e of diff.added) upstreams.set(endpointKey(e), { endpoint: e, pool: upstreamPool(`http://${e.host}:${e.port}`, idleMs, connectTimeoutMs) });
    for (const e of diff.removed) {
      const key = endpointKey(e);
      // In-flight requests finish; idle sockets close now; busy ones once their response ends.
      upstreams.get(key)?.pool.close().catch(() => {});
      upstreams.delete(key);
    }
    current = [...next];
    emitEndpointChanges(events, consumer, diff);
  };

  const reply = (res: ServerResponse, status: number, message: string, pod: string | undefined, code: string): void => {
    const headers: OutgoingHttpHeaders = { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(message) + 1, [PROXY_ERROR_HEADER]: code };
    if (pod) headers[podHeader] = pod;
    res.writeHead(status, headers);
    res.end(`${message}\n`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const bodyless = method === 'GET' || method === 'HEAD';
    const retryable = retries > 0 && bodyless && IDEMPOTENT.has(method);
    const raw = req.rawHeaders;
    const headers: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!);
    }
    if (bodyless) req.resume();
    let tried: Set<string> | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    let clientGone = false;
    res.once('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      controller?.abort(new Error('client closed the connection'));
    });

    const attempt = (): void => {
      const target = rr.pick(current, tried);
      const upstream = target && upstreams.get(endpointKey(target));
      if (!target || !upstream) return reply(res, 503, 'no endpoints', undefined, 'NO_ENDPOINTS');
      (tried ??= new Set()).add(endpointKey(target));
      let started = false;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (clientGone) c.abort(new Error('client closed the connection'));
        },
        onResponseStart(c, statusCode, upstreamHeaders) {
          if (statusCode < 200) return; // 1xx: wait for the final response
          started = true;
          const out = upstreamHeaders as OutgoingHttpHeaders;
          delete out.connection;
          delete out['keep-alive'];
          delete out['transfer-encoding'];
          out[podHeader] = target.name;
          res.writeHead(statusCode, out);
        },
        onResponseData(c, chunk) {
          if (!res.write(chunk)) {
            c.pause();
            res.once('drain', () => c.resume());
          }
        },
        onResponseEnd() {
          res.end();
        },
        onResponseError(_c, err) {
          // A reset after the status line cannot become a 502 any more: cut the client
          // connection, as nginx does.
          if (started || res.headersSent) return void res.destroy();
          if (clientGone) return;
          const code = (err as NodeJS.ErrnoException).code ?? 'UPSTREAM_ERROR';
          if (retryable && tried!.size <= retries && current.length > tried!.size) return attempt();
          reply(res, 502, `upstream ${target.name}: ${code}`, target.name, code);
        },
      };
      try {
        upstream.pool.dispatch({ path: req.url ?? '/', method: method as Dispatcher.HttpMethod, headers, body: bodyless ? null : req }, handler);
      } catch (err) {
        handler.onResponseError!(undefined as unknown as Dispatcher.DispatchController, err as Error);
      }
    };
    attempt();
  };

  const server = createServer({ noDelay: true }, handle);
  server.on('connection', (s: Socket) => {
    clientSockets.add(s);
    s.once('close', () => clientSockets.delete(s));
  });
  apply(options.endpoints ?? []);
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    mode: 'l7',
    host,
    port,
    url: `http://${host}:${port}/`,
    setEndpoints: async (next) => apply(next),
    endpoints: () => [...current],
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of clientSockets) s.destroy();
      await Promise.all([...upstreams.values()].map((u) => u.pool.destroy().catch(() => {})));
      upstreams.clear();
      await closed;
    },
  };
}
