/**
 * HTTP/1.1 keep-alive sockets during a drain.
 *
 * Node's own `server.close()` destroys the sockets it deems idle at the instant of the call, which
 * races requests already on the wire, and leaves busy sockets serving `keep-alive` forever
 * (kubernetes-semantics §7.2; landscape §2). Here instead:
 * - every response that starts after draining begins says `Connection: close`, so a busy socket
 *   closes right after its response and the client knows not to reuse it (§7.2 rule c);
 * - a socket that carries no request is closed only once no request is in flight anywhere and it
 *   stayed idle for `idleGraceMs` since its last response and since draining began, so a request
 *   the client sent just before cannot be cut (§7.3, "only then close idle sockets");
 * - at the deadline whatever is left is destroyed.
 * Before the drain the per-request cost is one map lookup: we remember the newest response per
 * socket and read its public `writableFinished` when draining starts. Only then are responses
 * counted through their `close` event. No private fields of Node are read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface SocketState {
  /** The newest response on this socket; when it has finished, the socket carries no request. */
  last: ServerResponse | undefined;
  /** Requests being answered; counted only once draining began, to keep the hot path cheap. */
  inFlight: number;
  /** `performance.now()` of the last response end seen while draining (0 before). */
  idleSince: number;
  /** We sent FIN; the socket is on its way out. */
  ending: boolean;
}

export class Http1Connections {
  private readonly sockets = new Map<Socket, SocketState>();
  private drainingSince: number | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  endedIdle = 0;

  /**
   * @param otherWorkPending true while HTTP/2 sessions or upgraded sockets keep the process alive
   *   anyway; idle sockets are left open until then, since closing them early gains nothing.
   */
  constructor(
    private readonly idleGraceMs: number,
    private readonly otherWorkPending: () => boolean = () => false,
  ) {}

  get size(): number {
    return this.sockets.size;
  }

  inFlight(): number {
    let total = 0;
    for (const state of this.sockets.values()) {
      if (this.drainingSince !== undefined) total += state.inFlight;
      else if (state.last && !state.last.writableFinished) total++;
    }
    return total;
  }

  track(socket: Socket): SocketState {
    let state = this.sockets.get(socket);
    if (state) return state;
    state = { last: undefined, inFlight: 0, idleSince: 0, ending: false };
    this.sockets.set(socket, state);
    socket.once('close', () => this.sockets.delete(socket));
    return state;
  }

  /** An upgraded socket (WebSocket, CONNECT) no longer speaks HTTP/1.1: never sweep it as idle. */
  forget(socket: Socket): void {
    this.sockets.delete(socket);
  }

  /** Runs for every request: before the drain it only remembers the newest response per socket. */
  onRequest(req: IncomingMessage, res: ServerResponse): void {
    const state = this.sockets.get(req.socket) ?? this.track(req.socket);
    state.last = res;
    if (this.drainingSince !== undefined) {
      res.setHeader('connection', 'close');
      this.watch(state, res);
    }
  }

  private watch(state: SocketState, res: ServerResponse): void {
    state.inFlight++;
    res.once('close', () => {
      state.inFlight--;
      state.idleSince = performance.now();
    });
  }

  startDraining(): void {
    this.drainingSince = performance.now();
    for (const state of this.sockets.values()) {
      const res = state.last;
      if (!res || res.writableFinished) continue;
      // Only the newest response: closing after an earlier pipelined one would drop the later.
      if (!res.headersSent) res.setHeader('connection', 'close');
      this.watch(state, res);
    }
    const every = Math.min(50, Math.max(5, Math.floor(this.idleGraceMs / 4)));
    this.sweepTimer = setInterval(() => this.closeIdle(), every);
    this.closeIdle();
  }
  private closeIdle(): void {
    const now = performance.now();
    const drainingSince = this.drainingSince ?? now;
    // While any request is still being answered the process cannot exit yet, so an idle socket
    // costs nothing to keep: a pinned client that uses it is answered with Connection: close.
    // Closing idle sockets only once nothing is left shrinks the race to sockets nobody used
    // for the whole drain, which matters when a stalled client resumes and reuses one.
    if (this.otherWorkPending()) return;
    for (const state of this.sockets.values()) if (state.inFlight > 0) return;
    const candidates: [Socket, SocketState, ServerResponse | undefined][] = [];
    for (const [socket, state] of this.sockets) {
      if (state.ending || state.inFlight > 0) continue;
      if (now - Math.max(state.idleSince, drainingSince) < this.idleGraceMs) continue;
      candidates.push([socket, state, state.last]);
    }
    if (candidates.length === 0) return;
    // Decide after the poll phase, not in this timer callback: if the event loop was stalled
    // (GC, a busy CPU), requests that arrived meanwhile sit unread in the kernel. setImmediate
    // runs after this iteration reads them, so such a socket is seen busy and kept.
    setImmediate(() => {
      for (const [socket, state, last] of candidates) {
        if (state.ending || state.inFlight > 0 || state.last !== last || !this.sockets.has(socket)) continue;
        state.ending = true;
        this.endedIdle++;
        // FIN, not RST: a client that reads it drops the socket from its pool cleanly. A client
        // that never answers the FIN is destroyed one grace later.
        socket.end();
        setTimeout(() => socket.destroy(), Math.max(this.idleGraceMs, 100)).unref();
      }
    });
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
