/**
 * Why graceful cannot send RFC 9113 section 6.8's graceful GOAWAY sequence on Node's http2 module (a
 * first GOAWAY with the maximum stream id as a shutdown notice, a PING round trip, then the final
 * GOAWAY), and what it does instead. Each case is a minimal reproduction with a raw HTTP/2 client
 * that places its streams exactly; if a Node release lifts a limit, its case fails and the library
 * should adopt the RFC sequence.
 */
import { spawn } from 'node:child_process';
import http2 from 'node:http2';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { graceful } from '../../src/graceful/index.js';
import { FRAME, getRequest, lastStreamIdOf, RawH2Connection } from './raw-h2.js';

const servers: http2.Http2Server[] = [];
const clients: RawH2Connection[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) s.close();
});

/** An h2c server that answers after `delayMs` and records which streams reached it. */
async function h2cServer(onStream: (stream: http2.ServerHttp2Stream) => void = () => {}, delayMs = 50) {
  const seen: number[] = [];
  const server = http2.createServer();
  servers.push(server);
  server.on('session', (session) => session.on('error', () => {}));
  server.on('stream', (stream) => {
    seen.push(stream.id ?? 0);
    onStream(stream);
    setTimeout(() => {
      if (stream.destroyed) return;
      stream.respond({ ':status': 200 });
      stream.end(`ok${stream.id}`);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, port: (server.address() as net.AddressInfo).port };
}

function connect(port: number, ackPings = true): RawH2Connection {
  const c = new RawH2Connection(port, ackPings);
  clients.push(c);
  return c;
}

describe("Node's http2 module and RFC 9113 section 6.8", () => {
  it('session.goaway(NO_ERROR, 2^31-1) makes the server silently ignore every later stream, though the client was told it may be processed', async () => {
    const { seen, port } = await h2cServer((stream) => {
      if (stream.id === 1) stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, 2 ** 31 - 1);
    });
    const client = connect(port);
    client.write(getRequest(1, '/'));
    const notice = await client.waitFor((f) => f.type === FRAME.GOAWAY);
    expect(notice && lastStreamIdOf(notice)).toBe(2 ** 31 - 1);
    // A stream that crossed the notice on the wire (sent before the client could read it).
    client.write(getRequest(3, '/'));
    await sleep(600);
    expect(seen).toEqual([1]);
    // Neither answered nor reset: a client would wait for it until its own timeout.
    expect(client.answersTo(3)).toEqual([]);
  });

  it('session.close() sends GOAWAY naming the last stream it accepted; a later stream is not processed, and that id says so', async () => {
    const { seen, port } = await h2cServer((stream) => {
      if (stream.id === 1) stream.session?.close();
    });
    const client = connect(port);
    client.write(getRequest(1, '/'));
    const goaway = await client.waitFor((f) => f.type === FRAME.GOAWAY);
    expect(goaway && lastStreamIdOf(goaway)).toBe(1);
    client.write(getRequest(3, '/'));
    await sleep(300);
    expect(seen).toEqual([1]);
    expect(client.answersTo(1).some((f) => f.type === FRAME.DATA)).toBe(true);
  });

  for (const mode of ['h2c', 'tls'] as const) {
    it(`writing the shutdown notice onto the session's socket (${mode}) aborts the process in a native assertion`, async () => {
      const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
      const server = spawn(process.execPath, [fixture('h2-notice-server.mjs'), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      server.stdout.on('data', (d: Buffer) => (out += d.toString()));
      server.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        server.once('exit', (code, signal) => resolve({ code, signal })),
      );
      let client: ReturnType<typeof spawn> | undefined;
      try {
        for (let i = 0; i < 200 && !out.includes('"port"'); i++) await sleep(10);
        const port = String((JSON.parse(out.split('\n')[0]!) as { port: number }).port);
        client = spawn(process.execPath, [fixture('h2-stalling-client.mjs'), port, mode], { stdio: 'ignore' });
        const exit = await exited;
        expect(out).toMatch(/notice written with \d+ bytes queued/);
        expect(out).not.toMatch(/survived/);
        expect(exit.signal).toBe('SIGABRT');
        expect(err).toMatch(/Assertion failed: (is_write_in_progress\(\)|!current_write_)/);
      } finally {
        server.kill('SIGKILL');
        client?.kill('SIGKILL');
      }
    });
  }
});

describe("graceful's sequence instead: PING, and GOAWAY on its ACK", () => {
  it('accepts every stream the client sent before it acknowledged the PING, and names the last one in the GOAWAY', async () => {
    const { server, seen, port } = await h2cServer(() => {}, 300);
    const lifecycle = graceful(server, { exit: false, signals: [], logger: false, drainDelayMs: 0, timeoutMs: 5_000, probes: false });
    const client = connect(port, false);
    client.write(getRequest(1, '/'));
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(5);
    const stopped = lifecycle.shutdown('test');
    const ping = await client.waitFor((f) => f.type === FRAME.PING && !(f.flags & 1));
    expect(ping).toBeDefined();
    // No GOAWAY before the round trip, so a stream sent now is still accepted.
    expect(client.frames.some((f) => f.type === FRAME.GOAWAY)).toBe(false);
    client.write(getRequest(3, '/'));
    client.ackPing(ping!);
    const goaway = await client.waitFor((f) => f.type === FRAME.GOAWAY);
    expect(goaway && lastStreamIdOf(goaway)).toBe(3);
    expect((await stopped).exitCode).toBe(0);
    expect(seen).toEqual([1, 3]);
    expect(client.answersTo(3).some((f) => f.type === FRAME.DATA)).toBe(true);
  });
});
