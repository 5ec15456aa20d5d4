import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { diffEndpoints, emitEndpointChanges, endpointKey, RoundRobin, validateEndpoints, type Endpoint } from './endpoints.js';
import type { ProxyOptions, TrafficProxy } from './types.js';
import { UpstreamAgent } from './upstream-agent.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Methods ingress-nginx retries on another upstream; POST, LOCK and PATCH are not (nginx `proxy_next_upstream`). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Header carrying the upstream error code on a 502, for debugging attribution. */
export const PROXY_ERROR_HEADER = 'x-zerodrop-proxy-error';

interface Upstream {
  endpoint: Endpoint;
  agent: UpstreamAgent;
}

/**
 * The ingress-like proxy (kubernetes-semantics §1.5): round robin per request over the current
 * endpoints, keep-alive pools per endpoint, 502 on upstream connect failure or reset, 503 with no
 * endpoints, no retries unless asked. Upstream calls use node:http with our own Agent rather than
 * undici because the agent's keep-alive policy must be nginx's (ignore the server's hint, see
 * upstream-agent.ts) and a removed endpoint must drop idle sockets while in-flight ones finish;
 * both are overridable hooks of http.Agent, while undici's Pool honours the hint by design.
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
    for (const e of diff.added) upstreams.set(endpointKey(e), { endpoint: e, agent: new UpstreamAgent(idleMs) });
    for (const e of diff.removed) {
      const key = endpointKey(e);
      upstreams.get(key)?.agent.retire();
      upstreams.delete(key);
    }
    current = [...next];
    emitEndpointChanges(events, consumer, diff);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const retryable = retries > 0 && IDEMPOTENT.has(method);
    const tried = new Set<string>();
    const headers: OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;

    const attempt = (): void => {
      const target = rr.pick(current, tried);
      const upstream = target && upstreams.get(endpointKey(target));
      if (!target || !upstream) {
        if (tried.size === 0) return reply(res, 503, 'no endpoints', undefined, 'NO_ENDPOINTS');
        return; // unreachable: a failed attempt replies itself when it has nowhere left to go
      }
      tried.add(endpointKey(target));
      let responded = false;
      const up = httpRequest({
        host: target.host,
        port: target.port,
        method,
        path: req.url,
        headers,
        agent: upstream.agent,
      });
      // Bound only the connect: a reused socket or a slow response must not hit this timer.
      up.once('socket', (s: Socket) => {
        if (!s.connecting) return;
        const timer = setTimeout(() => up.destroy(Object.assign(new Error('upstream connect timeout'), { code: 'ETIMEDOUT' })), connectTimeoutMs);
        s.once('connect', () => clearTimeout(timer));
        s.once('close', () => clearTimeout(timer));
      });
      up.on('response', (upRes) => {
        responded = true;
        const out: OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(upRes.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
        out[podHeader] = target.name;
        res.writeHead(upRes.statusCode ?? 502, out);
        upRes.pipe(res);
        // A reset mid-body cannot become a 502 any more: cut the client connection, as nginx does.
        upRes.on('aborted', () => res.destroy());
        upRes.on('error', () => res.destroy());
      });
      up.on('error', (err: NodeJS.ErrnoException) => {
        if (responded) return res.destroy();
        if (res.headersSent || res.destroyed) return;
        if (retryable && tried.size <= retries && current.length > tried.size) return attempt();
        reply(res, 502, `upstream ${target.name}: ${err.code ?? err.message}`, target.name, err.code ?? 'UPSTREAM_ERROR');
      });
      // The client went away: abandon the upstream request too.
      res.on('close', () => {
        if (!res.writableFinished) up.destroy();
      });
      if (method === 'GET' || method === 'HEAD') {
        // Bodyless in practice; ending now lets a retry reuse `headers` without a buffered body.
        req.resume();
        up.end();
      } else {
        req.pipe(up);
      }
    };
    attempt();
  };

  const reply = (res: ServerResponse, status: number, message: string, pod: string | undefined, code: string): void => {
    const headers: OutgoingHttpHeaders = { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(message) + 1, [PROXY_ERROR_HEADER]: code };
    if (pod) headers[podHeader] = pod;
    res.writeHead(status, headers);
    res.end(`${message}\n`);
  };

  const server = createServer(handle);
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
      for (const u of upstreams.values()) u.agent.destroy();
      upstreams.clear();
      await closed;
    },
  };
}
