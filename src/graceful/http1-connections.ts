/**
 * HTTP/1.1 keep-alive sockets during a drain.
 *
 * Node's own `server.close()` destroys the sockets it deems idle at the instant of the call, which
 * races requests already on the wire, and leaves busy sockets serving `keep-alive` forever
 * (docs/reference/node-http.md#closing-a-server; docs/reference/graceful-libraries.md#node-core). Here instead:
 * - once closing starts (at the stop signal with the adaptive drain, else when draining starts),
 *   every response that has not sent its headers says `Connection: close`, so a busy socket closes
 *   right after its response and the client knows not to reuse it (docs/reference/node-http.md#drain-rules);
 * - a socket that carries no request is closed only once draining began, no request is in flight
 *   anywhere and it stayed idle for `idleGraceMs` since its last response, since it was opened
 *   and since draining began, so a request the client sent just before cannot be cut (docs/reference/node-http.md#keep-alive-race,
 *   "only then close idle sockets");
 * - a socket that has read bytes of a request whose headers are not complete yet is busy, not idle;
 * - at the deadline whatever is left is destroyed.
 * Before closing starts the per-request cost is one map lookup and two stores: we remember the
 * newest response per socket and the bytes read when its request arrived, and read the public
 * `writableFinished` when closing starts. Only then are responses counted through their `close`
 * event. No private fields of Node are read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { endThenDestroy, finGraceMs } from './socket-close.js';

interface SocketState {
  /** The newest response on this socket; when it has finished, the socket carries no request. */
  last: ServerResponse | undefined;
  /** `socket.bytesRead` when the newest request arrived (when the socket was tracked, before any). */
  bytesAtRequest: number;
  /** `socket.bytesRead` when the newest counted response closed; undefined before closing starts. */
  bytesAtIdle: number | undefined;
  /** Requests being answered; counted only once closing began, to keep the hot path cheap. */
  inFlight: number;
  /** `performance.now()` of the last response end seen while closing (0 before). */
  idleSince: number;
  /** `performance.now()` when the connection was tracked. */
  openedAt: number;
  /** We sent FIN; the socket is on its way out. */
  ending: boolean;
}

/**
 * How many bytes of the request's body may still arrive after its `request` event, or Infinity
 * when that is unknown (chunked, or no request to look at), in which case arriving bytes cannot
 * be told apart from the next request's headers and the socket is judged by its responses alone.
 */
function bodyAllowance(req: IncomingMessage | undefined): number {
  if (!req) return Number.POSITIVE_INFINITY;
  const headers = req.headers;
  if (headers['transfer-encoding'] !== undefined) return Number.POSITIVE_INFINITY;
  const length = Number(headers['content-length'] ?? 0);
  return Number.isFinite(length) && length >= 0 ? length : Number.POSITIVE_INFINITY;
}

export class Http1Connections {
  private readonly sockets = new Map<Socket, SocketState>();
  /** Responses we marked `Connection: close`, so a pipelined request behind one can take the mark over. */
  private readonly marked = new WeakSet<ServerResponse>();
  private closing = false;
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

  /** Requests being answered, and requests whose headers are still arriving. */
  inFlight(): number {
    let total = 0;
    for (const [socket, state] of this.sockets) {
      const answering = this.closing ? state.inFlight : state.last && !state.last.writableFinished ? 1 : 0;
      total += answering > 0 ? answering : this.hasUnparsedBytes(socket, state) ? 1 : 0;
    }
    return total;
  }

  track(socket: Socket): SocketState {
    let state = this.sockets.get(socket);
    if (state) return state;
    state = {
      last: undefined,
      bytesAtRequest: socket.bytesRead,
      bytesAtIdle: undefined,
      inFlight: 0,
      idleSince: 0,
      openedAt: performance.now(),
      ending: false,
    };
    this.sockets.set(socket, state);
    socket.once('close', () => this.sockets.delete(socket));
    return state;
  }

  /** An upgraded socket (WebSocket, CONNECT) no longer speaks HTTP/1.1: never sweep it as idle. */
  forget(socket: Socket): void {
    this.sockets.delete(socket);
  }

  /**
   * Runs for every request, probes included: before closing starts it only remembers the newest
   * response per socket and the bytes read so far.
   */
  onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const state = this.sockets.get(socket) ?? this.track(socket);
    const previous = state.last;
    state.last = res;
    state.bytesAtRequest = socket.bytesRead;
    if (this.closing) {
      // A pipelined request behind one we marked: only the newest may close the connection, or
      // Node ends the socket after the earlier response and never answers the later ones.
      if (previous && this.marked.has(previous) && !previous.headersSent) {
        previous.removeHeader('connection');
        this.marked.delete(previous);
      }
      this.markClose(res);
      this.watch(socket, state, res);
    }
  }

  private markClose(res: ServerResponse): void {
    if (res.headersSent) return;
    res.setHeader('connection', 'close');
    this.marked.add(res);
  }

  private watch(socket: Socket, state: SocketState, res: ServerResponse): void {
    state.inFlight++;
    res.once('close', () => {
      state.inFlight--;
      state.idleSince = performance.now();
      state.bytesAtIdle = socket.bytesRead;
    });
  }

  /** True when the socket has read bytes of a request that has not reached the app yet. */
  private hasUnparsedBytes(socket: Socket, state: SocketState): boolean {
    const read = socket.bytesRead;
    if (state.bytesAtIdle !== undefined) return read > state.bytesAtIdle;
    const last = state.last;
    if (!last) return read > state.bytesAtRequest;
    return read > state.bytesAtRequest + bodyAllowance(last.req);
  }

  private busy(socket: Socket, state: SocketState): boolean {
    return state.inFlight > 0 || this.hasUnparsedBytes(socket, state);
  }

  /** From now on every response says `Connection: close`; sockets stay open and the listener too. */
  startClosing(): void {
    if (this.closing) return;
    this.closing = true;
    for (const [socket, state] of this.sockets) {
      const res = state.last;
      if (!res || res.writableFinished) continue;
      // Only the newest response: closing after an earlier pipelined one would drop the later.
      this.markClose(res);
      this.watch(socket, state, res);
    }
  }

  /** Closing, plus the idle sweep. */
  startDraining(): void {
    this.startClosing();
    this.drainingSince = performance.now();
    const every = Math.min(50, Math.max(5, Math.floor(this.idleGraceMs / 4)));
    this.sweepTimer = setInterval(() => this.closeIdle(), every);
    this.closeIdle();
  }

  /**
   * `performance.now()` at which the newest connection that has carried nothing yet was opened,
   * or 0: such a connection may be about to send a request, so traffic has not stopped.
   */
  newestUnusedSince(): number {
    let newest = 0;
    for (const state of this.sockets.values()) if (state.last === undefined && state.openedAt > newest) newest = state.openedAt;
    return newest;
  }

  private closeIdle(): void {
    const now = performance.now();
    const drainingSince = this.drainingSince ?? now;
    // While any request is still being answered the process cannot exit yet, so an idle socket
    // costs nothing to keep: a pinned client that uses it is answered with Connection: close.
    // Closing idle sockets only once nothing is left shrinks the race to sockets nobody used
    // for the whole drain, which matters when a stalled client resumes and reuses one.
    if (this.otherWorkPending()) return;
    for (const [socket, state] of this.sockets) if (this.busy(socket, state)) return;
    const candidates: [Socket, SocketState, ServerResponse | undefined][] = [];
    for (const [socket, state] of this.sockets) {
      if (state.ending) continue;
      if (now - Math.max(state.idleSince, state.openedAt, drainingSince) < this.idleGraceMs) continue;
      candidates.push([socket, state, state.last]);
    }
    if (candidates.length === 0) return;
    // Decide after the poll phase, not in this timer callback: if the event loop was stalled
    // (GC, a busy CPU), requests that arrived meanwhile sit unread in the kernel. setImmediate
    // runs after this iteration reads them, so such a socket is seen busy and kept.
    setImmediate(() => {
      for (const [socket, state, last] of candidates) {
        if (state.ending || state.last !== last || !this.sockets.has(socket) || this.busy(socket, state)) continue;
        state.ending = true;
        this.endedIdle++;
        endThenDestroy(socket, finGraceMs(this.idleGraceMs));
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
