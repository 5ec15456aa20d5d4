/**
 * HTTP/1.1 keep-alive sockets during a drain.
 *
 * Node's own `server.close()` destroys the sockets it deems idle at the instant of the call, which
 * races requests already on the wire, and leaves busy sockets serving `keep-alive` forever
 * (kubernetes-semantics §7.2; landscape §2). Here instead:
 * - every response that starts after draining begins says `Connection: close`, so a busy socket
 *   closes right after its response and the client knows not to reuse it (§7.2 rule c);
 * - a socket that carries no request is closed only after it stayed idle for `idleGraceMs` since
 *   its last response and since draining began, so a request the client sent just before cannot
 *   be cut (§7.3, "only then close idle sockets");
 * - at the deadline whatever is left is destroyed.
 * Requests are counted from the `request` event and the response's `close` event; no private
 * fields of Node are read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface SocketState {
  inFlight: number;
  /** `performance.now()` of the last request end, or of the connection when none ran yet. */
  idleSince: number;
  /** We sent FIN; the socket is on its way out. */
  ending: boolean;
}

export class Http1Connections {
  private readonly sockets = new Map<Socket, SocketState>();
  /** Responses whose headers may still be unsent when draining begins. */
  private readonly openResponses = new Set<ServerResponse>();
  private drainingSince: number | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  endedIdle = 0;

  constructor(private readonly idleGraceMs: number) {}

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  get size(): number {
    return this.sockets.size;
  }

  inFlight(): number {
    let total = 0;
    for (const state of this.sockets.values()) total += state.inFlight;
    return total;
  }

  track(socket: Socket): SocketState {
    let state = this.sockets.get(socket);
    if (state) return state;
    state = { inFlight: 0, idleSince: performance.now(), ending: false };
    this.sockets.set(socket, state);
    socket.once('close', () => this.sockets.delete(socket));
    return state;
  }

  /** An upgraded socket (WebSocket, CONNECT) no longer speaks HTTP/1.1: never sweep it as idle. */
  forget(socket: Socket): void {
    this.sockets.delete(socket);
  }

  onRequest(req: IncomingMessage, res: ServerResponse): void {
    const state = this.track(req.socket);
    state.inFlight++;
    if (this.drainingSince !== undefined) res.setHeader('connection', 'close');
    else this.openResponses.add(res);
    res.once('close', () => {
      this.openResponses.delete(res);
      state.inFlight--;
      state.idleSince = performance.now();
    });
  }

  startDraining(): void {
    this.drainingSince = performance.now();
    for (const res of this.openResponses) {
      if (!res.headersSent) res.setHeader('connection', 'close');
    }
    this.openResponses.clear();
    const every = Math.min(50, Math.max(5, Math.floor(this.idleGraceMs / 4)));
    this.sweepTimer = setInterval(() => this.closeIdle(), every);
    this.closeIdle();
  }

  private closeIdle(): void {
    const now = performance.now();
    const drainingSince = this.drainingSince ?? now;
    for (const [socket, state] of this.sockets) {
      if (state.ending || state.inFlight > 0) continue;
      if (now - Math.max(state.idleSince, drainingSince) < this.idleGraceMs) continue;
      state.ending = true;
      this.endedIdle++;
      // FIN, not RST: a client that reads it drops the socket from its pool cleanly. A client
      // that never answers the FIN is destroyed one grace later.
      socket.end();
      setTimeout(() => socket.destroy(), Math.max(this.idleGraceMs, 100)).unref();
    }
  }

  destroyAll(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets.keys()) socket.destroy();
    this.sockets.clear();
    return count;
  }

  stop(): void {
    clearInterval(this.sweepTimer);
  }
}
