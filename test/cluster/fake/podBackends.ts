/**
 * The fake cluster's pods as real loopback HTTP servers, and the Service in front of them: a
 * small proxy that sends each new request to one endpoint in rotation (what kube-proxy does for
 * new connections) and answers 502 like an ingress when the pod behind an endpoint is gone, so
 * the load sees real drops when a pod dies while it is still routed to.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

interface Backend {
  server: http.Server;
  port: number;
  sockets: Set<Socket>;
}

export function listen(server: http.Server | import('node:https').Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

export class PodBackends {
  url = '';
  private readonly backends = new Map<string, Backend>();
  private readonly rotation: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private front: http.Server | undefined;
  private roundRobin = 0;

  async start(): Promise<void> {
    this.front = http.createServer((req, res) => this.proxy(req, res));
    await listen(this.front);
    this.url = `http://127.0.0.1:${(this.front.address() as AddressInfo).port}/`;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const b of this.backends.values()) {
      for (const s of b.sockets) s.destroy();
      b.server.close();
    }
    const front = this.front;
    if (front)
      await new Promise<void>((r) => {
        front.closeAllConnections();
        front.close(() => r());
      });
  }

  async startPod(pod: string): Promise<void> {
    const sockets = new Set<Socket>();
    const server = http.createServer((_req, res) => {
      res.setHeader('x-zerodrop-pod', pod);
      res.end('ok\n');
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await listen(server);
    this.backends.set(pod, { server, port: (server.address() as AddressInfo).port, sockets });
  }

  /** Abrupt: the process dies and its connections reset. Graceful: stop accepting, let accepted requests finish. */
  stopPod(pod: string, abrupt: boolean): void {
    const b = this.backends.get(pod);
    if (!b) return;
    b.server.close();
    if (abrupt) {
      for (const s of b.sockets) s.destroy();
      return;
    }
    // A connection accepted but not yet parsed counts as idle, so closeIdleConnections would drop
    // it; instead close what is left only after a bounded wait.
    const t = setTimeout(() => {
      for (const s of b.sockets) s.destroy();
    }, 2000);
    this.timers.add(t);
  }

  route(pod: string): void {
    if (!this.rotation.includes(pod)) this.rotation.push(pod);
  }

  unroute(pod: string): void {
    const i = this.rotation.indexOf(pod);
    if (i >= 0) this.rotation.splice(i, 1);
  }

  private proxy(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.rotation.length === 0) {
      res.writeHead(503).end('no endpoints\n');
      return;
    }
    const pod = this.rotation[this.roundRobin++ % this.rotation.length]!;
    const backend = this.backends.get(pod);
    if (!backend) {
      res.writeHead(502).end('no backend\n');
      return;
    }
    const upstream = http.get({ host: '127.0.0.1', port: backend.port, path: req.url, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, { 'x-zerodrop-pod': String(up.headers['x-zerodrop-pod'] ?? pod) });
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'x-zerodrop-pod': pod }).end('bad gateway\n');
      else res.destroy();
    });
  }
}
