/**
 * HTTP/2 sessions during a drain. Node 20's `http2Server.close()` only refuses new sessions;
 * open sessions keep accepting streams (landscape §2, nodejs/node#57611), so we send GOAWAY
 * ourselves (kubernetes-semantics §7.2 rule f). Two steps, as RFC 9113 §6.8 advises: first a
 * GOAWAY with the maximum stream id, which tells the client to open no more streams without
 * refusing any it already sent; one idle grace later `session.close()`, whose GOAWAY names the
 * real last stream, and which lets open streams finish before the session closes.
 */
import type { Http2Session } from 'node:http2';

const MAX_STREAM_ID = 2 ** 31 - 1;

export class Http2Sessions {
  private readonly sessions = new Set<Http2Session>();
  private draining = false;

  constructor(private readonly idleGraceMs: number) {}

  get size(): number {
    return this.sessions.size;
  }

  track(session: Http2Session): void {
    this.sessions.add(session);
    session.once('close', () => this.sessions.delete(session));
    if (this.draining) this.goAway(session);
  }

  startDraining(): void {
    this.draining = true;
    for (const session of this.sessions) this.goAway(session);
  }

  private goAway(session: Http2Session): void {
    if (session.closed || session.destroyed) return;
    try {
      session.goaway(0, MAX_STREAM_ID);
    } catch {
      // The session died between the check and the call; nothing left to tell it.
    }
    setTimeout(() => {
      if (!session.closed && !session.destroyed) session.close();
    }, this.idleGraceMs);
  }

  destroyAll(): number {
    const count = this.sessions.size;
    for (const session of this.sessions) session.destroy();
    this.sessions.clear();
    return count;
  }
}
