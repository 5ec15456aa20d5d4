/**
 * HTTP/2: Node 20's server.close() leaves open sessions accepting streams (docs/reference/graceful-libraries.md#node-core), so
 * graceful sends GOAWAY itself (docs/reference/node-http.md#drain-rules). Open streams must finish,
 * clients must move to a new session, and the process must exit right after the last stream.
 * No accepted stream may fail; a stream refused while the GOAWAY is in flight is retried.
 */
import http2 from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Endpoints, startServer, tlsFiles, reapAll } from './harness.js';

afterEach(reapAll);

interface StreamOutcome {
  status?: number;
  body?: string;
  error?: string;
  at: number;
}

function h2get(session: http2.ClientHttp2Session, path: string, onResponse: () => void = () => {}): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    let req: http2.ClientHttp2Stream;
    try {
      req = session.request({ ':path': path });
    } catch (e) {
      resolve({ error: (e as NodeJS.ErrnoException).code ?? String(e), at: performance.now() });
      return;
    }
    let status: number | undefined;
    let body = '';
    req.setEncoding('utf8');
    req.on('response', (h) => {
      status = Number(h[':status']);
      onResponse();
    });
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve({ status, body, at: performance.now() }));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: `${e.code ?? ''} ${e.message}`, at: performance.now() }));
    req.setTimeout(8_000, () => req.close(http2.constants.NGHTTP2_CANCEL));
    req.on('close', () => resolve({ error: 'closed without end', at: performance.now() }));
  });
}

/** A client that keeps one session per endpoint and opens a new one when told to go away. */
class SwitchingH2Client {
  private session: http2.ClientHttp2Session | undefined;
  goaways = 0;
  /** performance.now() of each GOAWAY received. */
  readonly goawayAt: number[] = [];
  readonly sessions: http2.ClientHttp2Session[] = [];
  constructor(
    private readonly endpoints: Endpoints,
    private readonly secure: boolean,
  ) {}

  current(): http2.ClientHttp2Session {
    const s = this.session;
    if (s && !s.closed && !s.destroyed) return s;
    const origin = `${this.secure ? 'https' : 'http'}://127.0.0.1:${this.endpoints.current}`;
    const next = http2.connect(origin, this.secure ? { ca: tlsFiles.cert, servername: 'localhost' } : {});
    next.on('goaway', () => {
      this.goaways++;
      this.goawayAt.push(performance.now());
    });
    next.on('error', () => {});
    this.sessions.push(next);
    this.session = next;
    return next;
  }

  close(): void {
    for (const s of this.sessions) s.destroy();
  }
}

for (const [framework, secure, drain] of [
  ['http2', false, 'fixed'],
  ['http2-secure', true, 'fixed'],
  // The adaptive drain sends GOAWAY at the signal, and to every session opened while it waits.
  ['http2', false, 'adaptive'],
] as const) {
  describe(`${framework} (${secure ? 'h2 over TLS' : 'h2c'}), ${drain} drain`, () => {
    it('sends GOAWAY, finishes open streams, moves clients, exits 0 right after the last stream', async () => {
      const a = await startServer({ framework, options: { drain, drainDelayMs: 300, quietPeriodMs: 300, timeoutMs: 8_000 } });
      const b = await startServer({ framework, options: { drainDelayMs: 0, timeoutMs: 8_000, signals: [] } });
      const endpoints = new Endpoints(a.port);
      const client = new SwitchingH2Client(endpoints, secure);
      let stop = false;
      try {
        const outcomes: StreamOutcome[] = [];
        // Like RFC-compliant clients and proxies, retry a stream refused with REFUSED_STREAM: the
        // server guarantees it was never processed (RFC 9113 section 8.7). Every other error counts.
        let refused = 0;
        const loops = Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 5_000 && !stop; i++) {
            const path = `/work?ms=${Math.random() < 0.9 ? 2 : 30}`;
            let outcome = await h2get(client.current(), path);
            if (outcome.error?.includes('NGHTTP2_REFUSED_STREAM')) {
              refused++;
              outcome = await h2get(client.current(), path);
            }
            outcomes.push(outcome);
          }
        });
        await sleep(200);
        // Signal once the server has answered the long stream's headers: a stream whose HEADERS
        // frame a busy client has not flushed yet may follow its PING ACK, and is refused.
        let accepted = (): void => {};
        const responded = new Promise<void>((resolve) => (accepted = resolve));
        const longStream = h2get(client.current(), '/stream?chunks=8&every=100', () => accepted());
        await Promise.race([responded, longStream]);
        const signalAt = a.signal('SIGTERM');
        await sleep(150);
        endpoints.current = b.port;
        const exit = await a.exited;
        await sleep(200);
        stop = true;
        await Promise.all(loops);
        const stream = await longStream;

        const failed = outcomes.filter((o) => o.error !== undefined || o.status !== 200).map((o) => ({ ...o, sinceSignalMs: Math.round(o.at - signalAt) }));
        expect(failed, `${a.stderr()}\nrefused and retried: ${refused}`).toEqual([]);
        console.info(`${framework}, ${drain} drain: ${outcomes.length} streams, ${refused} refused during the GOAWAY round trip and retried`);
        expect(stream.body, JSON.stringify(stream)).toBe(`${Array.from({ length: 8 }, (_, i) => `chunk${i};`).join('')}end`);
        expect(client.goaways).toBeGreaterThan(0);
        // Fixed: the first GOAWAY comes when draining starts; adaptive: at the signal.
        const firstGoaway = Math.min(...client.goawayAt) - signalAt;
        if (drain === 'fixed') expect(firstGoaway).toBeGreaterThanOrEqual(290);
        else expect(firstGoaway).toBeLessThan(250);
        expect(client.sessions.length).toBeGreaterThan(1);
        expect(exit.code, a.stderr()).toBe(0);
        // The stream in flight at SIGTERM ends ~700 ms after it; exit follows it, not the deadline.
        expect(exit.at - stream.at).toBeLessThan(400);
        expect(exit.at - signalAt).toBeLessThan(2_500);
        expect(a.phases.find((p) => p.phase === 'draining')!.sinceSignalMs).toBeGreaterThanOrEqual(300);
      } finally {
        stop = true;
        client.close();
        a.kill();
        b.kill();
      }
    });
  });
}
