/**
 * HTTP/2 sessions during a drain. Node 20's `http2Server.close()` only refuses new sessions;
 * open sessions keep accepting streams (docs/reference/graceful-libraries.md#node-core, nodejs/node#57611), so we send GOAWAY
 * ourselves (docs/reference/node-http.md#drain-rules) through `session.close()`, which names the last
 * stream we accepted and lets open streams finish.
 *
 * RFC 9113 section 6.8's graceful sequence (a GOAWAY with the maximum stream id as a shutdown notice,
 * a PING round trip, then the final GOAWAY) cannot be built on Node's http2 module; the
 * reproductions are in test/graceful/http2-goaway-limits.test.ts and docs/graceful.md:
 * - `session.goaway(NO_ERROR, 2^31-1)` goes through nghttp2_submit_goaway, after which nghttp2
 *   silently ignores every new stream, although the GOAWAY told the client they may be processed;
 *   the client's request hangs. nghttp2's shutdown notice (nghttp2_submit_shutdown_notice) has
 *   no binding in Node.
 * - Writing the notice frame onto the session's socket ourselves aborts the process in a native
 *   assertion, over TCP and over TLS, as soon as the session has writes queued: the session owns
 *   the socket's writes.
 * So a stream the client opens while our GOAWAY is in flight is not processed; the GOAWAY's last
 * stream id tells the client so, and RFC 9113 section 8.7 makes such a stream safe to retry (Node's
 * client reports it as REFUSED_STREAM). To keep that window to one round trip even when the
 * client's process is stalled, we PING first and send the GOAWAY when the ACK arrives: the
 * client is running right then, and every stream whose HEADERS it sent before the ACK has reached
 * us and is accepted. (nghttp2 queues PING ACKs ahead of new streams, so a request the client
 * opened just before our PING arrived can still follow the ACK and be refused.)
 */
import type { Http2Session } from 'node:http2';

/** A client that does not answer our PING within this time gets the GOAWAY without it. */
export const PING_TIMEOUT_MS = 1_000;

interface SessionState {
  /** `performance.now()` when the session was tracked. */
  openedAt: number;
  /** A stream arrived on it. */
  used: boolean;
}

export class Http2Sessions {
  private readonly sessions = new Map<Http2Session, SessionState>();
  private draining = false;

  get size(): number {
    return this.sessions.size;
  }

  track(session: Http2Session): void {
    this.sessions.set(session, { openedAt: performance.now(), used: false });
    session.once('close', () => this.sessions.delete(session));
    if (this.draining) this.goAway(session);
  }

  sawStream(session: Http2Session): void {
    const state = this.sessions.get(session);
    if (state) state.used = true;
  }

  /** GOAWAY for every open session, and for each new one as soon as it is set up. */
  startDraining(): void {
    if (this.draining) return;
    this.draining = true;
    for (const session of this.sessions.keys()) this.goAway(session);
  }

  /** `performance.now()` at which the newest session without a stream yet was opened, or 0. */
  newestUnusedSince(): number {
    let newest = 0;
    for (const state of this.sessions.values()) if (!state.used && state.openedAt > newest) newest = state.openedAt;
    return newest;
  }

  private goAway(session: Http2Session): void {
    if (session.closed || session.destroyed) return;
    let timer: NodeJS.Timeout | undefined;
    const close = (): void => {
      clearTimeout(timer);
      if (!session.closed && !session.destroyed) session.close();
    };
    try {
      if (session.ping(() => close())) {
        timer = setTimeout(close, PING_TIMEOUT_MS);
        timer.unref();
        return;
      }
    } catch {
      // Not connected or too many pings outstanding: go away without the round trip.
    }
    close();
  }

  destroyAll(): number {
    const count = this.sessions.size;
    for (const session of this.sessions.keys()) session.destroy();
    this.sessions.clear();
    return count;
  }
}
