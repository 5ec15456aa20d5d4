import { createServer, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Dispatcher, Pool } from 'undici';
import { resolveProxyOptions } from './defaults.js';
import { endpointKey, EndpointView, RoundRobin, type Endpoint, type EndpointDiff } from './endpoints.js';
import { serveNodeProxy } from './nodeProxy.js';
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
 * The ingress-like proxy (docs/reference/traffic-routing.md#ingress-and-load-balancers): round robin per request over the current
 * endpoints, a keep-alive pool per endpoint (upstream-pool.ts), 502 on upstream connect failure or
 * reset, 503 with no endpoints, no retries unless asked. The server side is node:http; upstream
 * calls go through undici's low-level `dispatch`, which streams the response straight into the
 * client's response with backpressure and costs far less per request than http.request.
 */
export async function startL7Proxy(options: ProxyOptions = {}): Promise<TrafficProxy> {
  const o = resolveProxyOptions('l7', options);
  const view = new EndpointView(o.consumer, o.events);
  const rr = new RoundRobin();
  const upstreams = new Map<string, Upstream>();
  const clientSockets = new Set<Socket>();

  const onChange = (diff: EndpointDiff): void => {
    for (const e of diff.added)
      upstreams.set(endpointKey(e), {
        endpoint: e,
        pool: upstreamPool(`http://${e.host}:${e.port}`, {
          idleMs: o.upstreamKeepAliveMs,
          connectTimeoutMs: o.connectTimeoutMs,
          closeNoticeDelayMs: o.upstreamCloseNoticeDelayMs,
        }),
      });
    for (const e of diff.removed) {
      const key = endpointKey(e);
      // In-flight requests finish; idle sockets close now; busy ones once their response ends.
      upstreams
        .get(key)
        ?.pool.close()
        .catch(() => {});
      upstreams.delete(key);
    }
  };

  const reply = (res: ServerResponse, status: number, message: string, pod: string | undefined, code: string): void => {
    const headers: OutgoingHttpHeaders = { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(message) + 1, [PROXY_ERROR_HEADER]: code };
    if (pod) headers[o.podHeader] = pod;
    res.writeHead(status, headers);
    res.end(`${message}\n`);
  };

  const core: ExchangeCore = {
    retries: o.retries,
    podHeader: o.podHeader,
    pick: (tried) => {
      const target = rr.pick(view.current, tried);
      const upstream = target && upstreams.get(endpointKey(target));
      return upstream ? { target: target!, pool: upstream.pool } : undefined;
    },
    endpointCount: () => view.current.length,
    reply,
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const bodyless = method === 'GET' || method === 'HEAD';
    const raw = req.rawHeaders;
    const headers: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!);
    }
    if (bodyless) req.resume();
    new Exchange(core, req, res, method, headers, o.retries > 0 && bodyless && IDEMPOTENT.has(method)).attempt();
  };

  const server = createServer({ noDelay: true }, handle);
  server.on('connection', (s: Socket) => {
    clientSockets.add(s);
    s.once('close', () => clientSockets.delete(s));
  });
  return serveNodeProxy(server, view, o, {
    onChange,
    clients: () => clientSockets,
    release: async () => {
      await Promise.all([...upstreams.values()].map((u) => u.pool.destroy().catch(() => {})));
      upstreams.clear();
    },
  });
}

interface ExchangeCore {
  retries: number;
  podHeader: string;
  /** Next endpoint (not in `tried`) and its pool, or undefined when none is left. */
  pick(tried: ReadonlySet<string> | undefined): { target: Endpoint; pool: Pool } | undefined;
  endpointCount(): number;
  reply(res: ServerResponse, status: number, message: string, pod: string | undefined, code: string): void;
}

const RESPONSE_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/**
 * One proxied request: the client's response and the current upstream attempt, as an undici
 * dispatch handler. A class rather than closures because it runs for every request.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private tried: Set<string> | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private target: Endpoint | undefined;
  private started = false;
  private answered = false;
  private clientGone = false;

  constructor(
    private readonly core: ExchangeCore,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly method: string,
    private readonly headers: string[],
    private readonly retryable: boolean,
  ) {
    res.once('close', () => {
      if (res.writableFinished) return;
      this.clientGone = true;
      this.controller?.abort(new Error('client closed the connection'));
    });
  }

  attempt(): void {
    const picked = this.core.pick(this.tried);
    if (!picked) return this.core.reply(this.res, 503, 'no endpoints', undefined, 'NO_ENDPOINTS');
    this.target = picked.target;
    (this.tried ??= new Set()).add(endpointKey(picked.target));
    this.started = false;
    const bodyless = this.method === 'GET' || this.method === 'HEAD';
    try {
      picked.pool.dispatch(
        { path: this.req.url ?? '/', method: this.method as Dispatcher.HttpMethod, headers: this.headers, body: bodyless ? null : this.req },
        this,
      );
    } catch (err) {
      this.onResponseError(undefined, err as Error);
    }
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.controller = c;
    if (this.clientGone) c.abort(new Error('client closed the connection'));
  }

  onResponseStart(c: Dispatcher.DispatchController, statusCode: number, upstreamHeaders: Record<string, string | string[]>): void {
    if (statusCode < 200) return; // 1xx: wait for the final response
    this.started = true;
    const out: string[] = [];
    for (const name in upstreamHeaders) {
      if (RESPONSE_HOP_BY_HOP.has(name)) continue;
      const value = upstreamHeaders[name]!;
      if (typeof value === 'string') out.push(name, value);
      else for (const v of value) out.push(name, v);
    }
    out.push(this.core.podHeader, this.target!.name);
    try {
      this.res.writeHead(statusCode, out);
    } catch (err) {
      // A header Node refuses to forward (invalid characters): the upstream broke HTTP.
      this.answered = true;
      this.core.reply(this.res, 502, `upstream ${this.target!.name}: invalid response headers`, this.target!.name, 'BAD_UPSTREAM_HEADERS');
      c.abort(err as Error);
    }
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) {
      c.pause();
      this.res.once('drain', () => c.resume());
    }
  }

  onResponseEnd(): void {
    this.res.end();
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    if (this.answered) return;
    const res = this.res;
    // A reset after the status line cannot become a 502 any more: cut the client connection, as
    // nginx does.
    if (this.started || res.headersSent) return void res.destroy();
    if (this.clientGone) return;
    const code = (err as NodeJS.ErrnoException).code ?? 'UPSTREAM_ERROR';
    const tried = this.tried?.size ?? 0;
    if (this.retryable && tried <= this.core.retries && this.core.endpointCount() > tried) return this.attempt();
    const pod = this.target?.name;
    this.core.reply(res, 502, `upstream ${pod}: ${code}`, pod, code);
  }
}
