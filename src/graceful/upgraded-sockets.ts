/**
 * Upgraded connections (WebSocket via `upgrade`, tunnels via `connect`) leave HTTP, so neither
 * `Connection: close` nor an idle sweep applies. At drain start they are handed to the app's
 * hook with the deadline, so it can send a close frame; without a hook they are ended, and
 * destroyed shortly after if the client never answers the FIN. A socket upgraded after drain
 * start (on a keep-alive connection that was still open) is handed off as soon as the app's
 * `upgrade` listener has run.
 */
import type { Duplex } from 'node:stream';
import type { UpgradedSocketContext } from './options.js';
import { endThenDestroy } from './socket-close.js';

export interface HandOff {
  hook: ((socket: Duplex, context: UpgradedSocketContext) => void) | undefined;
  /** Epoch milliseconds of the hard deadline. */
  deadlineAt: number;
  onHookError: (error: unknown) => void;
  /** Time between our FIN and the destroy when there is no hook. */
  finGraceMs: number;
}

export class UpgradedSockets {
  private readonly sockets = new Set<Duplex>();
  private handOffTo: HandOff | undefined;

  get size(): number {
    return this.sockets.size;
  }

  track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const handOff = this.handOffTo;
    // The app's upgrade listener runs right after us; hand over once it has answered.
    if (handOff) setImmediate(() => this.handOne(socket, handOff));
  }

  handOff(handOff: HandOff): void {
    this.handOffTo = handOff;
    for (const socket of this.sockets) this.handOne(socket, handOff);
  }

  private handOne(socket: Duplex, { hook, deadlineAt, onHookError, finGraceMs }: HandOff): void {
    if (socket.destroyed) return;
    if (!hook) {
      endThenDestroy(socket, finGraceMs);
      return;
    }
    try {
      hook(socket, { deadlineAt, remainingMs: Math.max(0, deadlineAt - Date.now()) });
    } catch (error) {
      onHookError(error);
      endThenDestroy(socket, finGraceMs);
    }
  }

  destroyAll(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    return count;
  }
}
