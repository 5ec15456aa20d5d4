/**
 * Closing a connection we no longer want: FIN first, so a client that reads it drops the
 * connection cleanly, then destroy after a grace, so a client that never answers the FIN (or
 * keeps its half open on purpose) cannot hold the process until the deadline.
 */
import type { Duplex } from 'node:stream';

/** The grace between our FIN and the destroy: the idle grace, but never under 100 ms. */
export function finGraceMs(idleGraceMs: number): number {
  return Math.max(idleGraceMs, 100);
}

export function endThenDestroy(socket: Duplex, graceMs: number): void {
  socket.end();
  const timer = setTimeout(() => socket.destroy(), graceMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
