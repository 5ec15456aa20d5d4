import { Agent } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A keep-alive pool to one endpoint that behaves like nginx's upstream keepalive rather than Node's
 * default agent: it keeps idle sockets for exactly `idleMs` and ignores the server's
 * `Keep-Alive: timeout` hint (Node's Agent shortens its timeout to the hint; nginx does not, which
 * is what makes the keep-alive race of kubernetes-semantics §7.3 real).
 *
 * `retire()` is what happens when the endpoint leaves the consumer's list: idle sockets are closed
 * at once, sockets with a request in flight finish it and are closed when released.
 */
export class UpstreamAgent extends Agent {
  private retired = false;
  private readonly idleMs: number;

  constructor(idleMs: number) {
    super({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, scheduling: 'lifo' });
    this.idleMs = idleMs;
  }

  override keepSocketAlive(socket: Socket): boolean {
    if (this.retired) return false;
    socket.setKeepAlive(true, 1000);
    socket.unref();
    socket.setTimeout(this.idleMs);
    return true;
  }

  override reuseSocket(socket: Socket, req: Parameters<Agent['reuseSocket']>[1]): void {
    // An in-flight request must not be cut by the idle timer.
    socket.setTimeout(0);
    socket.ref();
    super.reuseSocket(socket, req);
  }

  retire(): void {
    this.retired = true;
    for (const list of Object.values(this.freeSockets)) for (const s of list ?? []) s.destroy();
  }

  idleSockets(): number {
    return Object.values(this.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);
  }
}
