/**
 * A forward proxy on loopback, as corporate networks and bastions run them: CONNECT tunnels for
 * https:// targets and absolute-form requests for http:// ones. It resolves the names it is told
 * to (a name nothing else can resolve proves a request went through it) and never connects off
 * this machine. `refuse` makes it answer CONNECT with that status instead.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export class LoopbackProxy {
  url = '';
  readonly connects: string[] = [];
  readonly forwarded: string[] = [];
  private readonly server = http.createServer((req, res) => this.forward(req, res));
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly options: { hosts?: Record<string, string>; refuse?: number } = {}) {
    this.server.on('connect', (req, client: net.Socket, head) => this.tunnel(req, client, head));
    this.server.on('connection', (s) => this.track(s));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  private resolve(host: string): string | undefined {
    const h = host.replace(/^\[|\]$/g, '');
    const mapped = this.options.hosts?.[h] ?? h;
    return mapped === 'localhost' || mapped.startsWith('127.') || mapped === '::1' ? mapped : undefined;
  }

  private tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    const target = req.url ?? '';
    this.connects.push(target);
    const i = target.lastIndexOf(':');
    const host = this.resolve(target.slice(0, i));
    if (this.options.refuse || !host) {
      client.end(`HTTP/1.1 ${this.options.refuse ?? 502} ${this.options.refuse ? 'Forbidden' : 'Bad Gateway'}\r\n\r\n`);
      return;
    }
    const upstream = net.connect(Number(target.slice(i + 1)), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/');
    this.forwarded.push(url.toString());
    const host = this.resolve(url.hostname);
    if (!host) {
      res.writeHead(502).end();
      return;
    }
    const up = http.request({ host, port: url.port || 80, path: url.pathname + url.search, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  }
}
