/**
 * The lab's stand-in for Linkerd's proxy sidecar (cr.l5d.io/linkerd/proxy), run as a container
 * of a meshed pod: it receives the pod's inbound traffic and forwards it to the app, and on
 * SIGTERM behaves as Linkerd documents (https://linkerd.io/2/tasks/graceful-shutdown/): it refuses
 * every new request at once (the inbound port stops accepting, idle connections are closed),
 * lets the requests in flight finish, and exits when the last connection is gone.
 *
 * Environment (the lab's injector sets it, in the names the real proxy reads where there are some):
 *   LINKERD2_PROXY_INBOUND_LISTEN_ADDR  host:port it receives the pod's traffic on (port 4143 in the pod)
 *   LINKERD2_PROXY_ADMIN_LISTEN_ADDR    host:port of /ready and /live (port 4191 in the pod)
 *   ZERODROP_MESH_APP_ADDR              host:port of the app (the Service's target port)
 *   ZERODROP_MESH_SHUTDOWN_GRACE_MS     upper bound on the drain after SIGTERM (default 120000)
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function address(name: string): { host: string; port: number } {
  const value = process.env[name] ?? '';
  const at = value.lastIndexOf(':');
  const port = Number(value.slice(at + 1));
  if (at < 0 || !Number.isInteger(port) || port <= 0) {
    process.stderr.write(`linkerd-proxy stand-in: ${name} must be host:port, got "${value}"\n`);
    process.exit(2);
  }
  return { host: value.slice(0, at) || '127.0.0.1', port };
}

const inboundAddr = address('LINKERD2_PROXY_INBOUND_LISTEN_ADDR');
const adminAddr = address('LINKERD2_PROXY_ADMIN_LISTEN_ADDR');
const app = address('ZERODROP_MESH_APP_ADDR');
const shutdownGraceMs = Number(process.env.ZERODROP_MESH_SHUTDOWN_GRACE_MS ?? 120_000);
const agent = new Agent({ keepAlive: true });
let draining = false;

function headersOf(raw: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function forward(req: IncomingMessage, res: ServerResponse): void {
  // A request on a connection that was busy when the drain began: the connection closes after it.
  if (draining) res.setHeader('connection', 'close');
  const upstream = request({ ...app, method: req.method, path: req.url, headers: headersOf(req.headers), agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, headersOf(up.headers));
    up.pipe(res);
  });
  upstream.on('error', (err: NodeJS.ErrnoException) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'content-type': 'text/plain', 'l5d-proxy-error': err.code ?? 'upstream error' });
    res.end(`linkerd-proxy stand-in: app unreachable (${err.code ?? err.message})\n`);
  });
  req.pipe(upstream);
}

const inbound = createServer(forward);
const sockets = new Set<Socket>();
inbound.on('connection', (s: Socket) => {
  sockets.add(s);
  s.once('close', () => {
    sockets.delete(s);
    if (draining && sockets.size === 0) process.exit(0);
  });
});
const admin = createServer((req, res) => {
  const ok = !draining && (req.url === '/ready' || req.url === '/live');
  res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
  res.end(ok ? 'ready\n' : 'shutting down\n');
});

process.on('SIGTERM', () => {
  if (draining) return;
  draining = true;
  // New connections are refused from now on; idle keep-alive connections close at once, busy
  // ones after their response.
  inbound.close();
  inbound.closeIdleConnections();
  admin.close();
  admin.closeAllConnections();
  if (sockets.size === 0) process.exit(0);
  setTimeout(() => process.exit(0), shutdownGraceMs).unref();
});

inbound.listen(inboundAddr.port, inboundAddr.host);
admin.listen(adminAddr.port, adminAddr.host);
