/**
 * HTTP/2 sessions during a drain. Node 20's `http2Server.close()` only refuses new sessions;
 * open sessions keep accepting streams (landscape §2, nodejs/node#57611), so we send GOAWAY
 * ourselves (kubernetes-semantics §7.2 rule f) through `session.close()`, which names the last
 * stream we accepted and lets open streams finish.
 *
 * Any GOAWAY from Node makes nghttp2 refuse every stream that arrives after it, even one with
 * the maximum last-stream id, so RFC 9113 §6.8's "GOAWAY with 2^31-1 first" shutdown notice
 * is not available. A stream the client opens while our GOAWAY is in flight is refused with
 * REFUSED_STREAM, which RFC 9113 §8.7 guarantees was not processed and is safe to retry. To
 * keep that window to one round trip even when the client's process is stalled, we PING first
 * and send the GOAWAY when the ACK arrives: the client is running right then, and every stream
 * it opened before the ACK has reached us and is accepted.
 */
import type { Http2Session } from 'node:http2';

export class Http2Sessions {
  private readonly sessions = new Set<Http2Session>();
  private draining = false;

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
    const close = (): void => {
      if (!session.closed && !session.destroyed) session.close();
    };
    try {
      if (session.ping(() => close())) return;
    } catch {
      // Not connected or too many pings outstanding: go away without the round trip.
    }
    close();
  }

  destroyAll(): number {
    const count = this.sessions.size;
    for (const session of this.sessions) session.destroy();
    this.sessions.clear();
    return count;
  }
}
