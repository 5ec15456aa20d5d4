/**
 * Upgraded connections (WebSocket via `upgrade`, tunnels via `connect`) leave HTTP, so neither
 * `Connection: close` nor an idle sweep applies. At drain start they are handed to the app's
 * hook with the deadline, so it can send a close frame; without a hook they are ended.
 */
import type { Duplex } from 'node:stream';
import type { UpgradedSocketContext } from './options.js';

export class UpgradedSockets {
  private readonly sockets = new Set<Duplex>();

  get size(): number {
    return this.sockets.size;
  }

  track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  handOff(hook: ((socket: Duplex, context: UpgradedSocketContext) => void) | undefined, deadlineAt: number, onHookError: (error: unknown) => void): void {
    for (const socket of this.sockets) {
      if (!hook) {
        socket.end();
        continue;
      }
      try {
        hook(socket, { deadlineAt, remainingMs: Math.max(0, deadlineAt - Date.now()) });
      } catch (error) {
        onHookError(error);
        socket.end();
      }
    }
  }

  destroyAll(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    return count;
  }
}
