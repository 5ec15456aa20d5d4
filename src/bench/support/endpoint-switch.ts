/**
 * A loopback stand-in for kube-proxy: a TCP proxy that sends each *new* connection to the
 * current endpoint and keeps every open connection pinned to the backend it was opened to,
 * as conntrack does (kubernetes-semantics §1.4, "Existing TCP connections are not cut").
 * Half-closes are forwarded both ways so a backend's FIN reaches the client as a FIN. To be
 * replaced by the lab's proxy once it exists.
 */
import net from 'node:net';

export class EndpointSwitch {
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  private backendPort: number;

  constructor(initialBackendPort: number) {
    this.backendPort = initialBackendPort;
    this.server = net.createServer({ allowHalfOpen: true }, (client) => this.route(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Endpoint removal has propagated: new connections go to `port` from now on. */
  switchTo(port: number): void {
    this.backendPort = port;
  }

  private route(client: net.Socket): void {
    const upstream = net.connect({ port: this.backendPort, host: '127.0.0.1', allowHalfOpen: true });
    for (const s of [client, upstream]) {
      this.open.add(s);
      s.once('close', () => this.open.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // A refused or reset upstream becomes a reset client connection, as with a dead endpoint.
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => {
      if (!client.writableEnded) client.destroy();
    });
  }

  async close(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
