/**
 * In-process specification of the lifecycle (exit: false, no signal handlers): keep-alive socket
 * handling at the response boundary, probes, cleanup hooks and attach-time errors. The
 * child-process tests in test/graceful cover signals, exit codes and every server stack.
 */
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { graceful } from './index.js';
import type { GracefulOptions } from './options.js';
import type { Lifecycle } from './lifecycle.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function start(options: GracefulOptions = {}, handler?: http.RequestListener): Promise<{ server: http.Server; lifecycle: Lifecycle; port: number }> {
  const server = http.createServer(
    handler ??
      (async (req, res) => {
        const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
        await sleep(ms);
        res.end(`ok:${ms}`);
      }),
  );
  servers.push(server);
  const lifecycle = graceful(server, { exit: false, signals: [], logger: false, drainDelayMs: 0, timeoutMs: 5_000, ...options });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, lifecycle, port: (server.address() as net.AddressInfo).port };
}

/** One raw keep-alive connection, so we see exactly what the server does at the socket level. */
class RawConnection {
  readonly socket: net.Socket;
  private buffer = '';
  endedAt: number | undefined;
  error: Error | undefined;
  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (d: string) => (this.buffer += d));
    this.socket.on('end', () => (this.endedAt = performance.now()));
    this.socket.on('error', (e) => (this.error = e));
  }
  async request(path: string): Promise<{ status: number; headers: string; body: string }> {
    this.buffer = '';
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    for (let i = 0; i < 500; i++) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head >= 0) {
        const headers = this.buffer.slice(0, head).toLowerCase();
        const length = Number(/content-length: (\d+)/.exec(headers)?.[1] ?? 0);
        const body = this.buffer.slice(head + 4);
        if (body.length >= length) return { status: Number(headers.split(' ')[1]), headers, body };
      }
      await sleep(5);
    }
    throw new Error(`no complete response; got ${JSON.stringify(this.buffer)}`);
  }
  async waitForEnd(limitMs: number): Promise<number | undefined> {
    for (const start = performance.now(); this.endedAt === undefined && performance.now() - start < limitMs; ) await sleep(5);
    return this.endedAt;
  }
}

describe('HTTP/1.1 keep-alive sockets during the drain', () => {
  it('closes an idle keep-alive socket only after idleGraceMs, with a FIN, not at once', async () => {
    const { lifecycle, port } = await start({ idleGraceMs: 200 });
    const conn = new RawConnection(port);
    expect((await conn.request('/work')).headers).toContain('connection: keep-alive');
    const drainAt = performance.now();
    void lifecycle.shutdown('test');
    const endedAt = await conn.waitForEnd(2_000);
    expect(endedAt).toBeDefined();
    expect(endedAt! - drainAt).toBeGreaterThanOrEqual(190);
    expect(endedAt! - drainAt).toBeLessThan(600);
    expect(conn.error).toBeUndefined();
  });

  it('serves a request that arrives on an idle socket during the grace, with Connection: close', async () => {
    const { lifecycle, port } = await start({ idleGraceMs: 300 });
    const conn = new RawConnection(port);
    await conn.request('/work');
    const stopped = lifecycle.shutdown('test');
    await sleep(50);
    const res = await conn.request('/work?ms=20');
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok:20');
    expect(res.headers).toContain('connection: close');
    expect(await conn.waitForEnd(500)).toBeDefined();
    expect(await stopped).toMatchObject({ exitCode: 0, forced: false });
  });

  it('leaves idle sockets open while another request is still in flight, then closes them', async () => {
    const { lifecycle, port } = await start({ idleGraceMs: 50 });
    const idle = new RawConnection(port);
    await idle.request('/work');
    const busy = new RawConnection(port).request('/work?ms=400');
    await sleep(20);
    const stopped = lifecycle.shutdown('test');
    await sleep(250);
    expect(idle.endedAt).toBeUndefined();
    const late = await idle.request('/work?ms=1'); // a pinned client comes back mid-drain
    expect(late.headers).toContain('connection: close');
    expect((await busy).body).toBe('ok:400');
    expect((await stopped).exitCode).toBe(0);
  });

  it('keeps an idle socket whose request arrived while the event loop was stalled', async () => {
    const { lifecycle, port } = await start({ idleGraceMs: 50 });
    const conn = new RawConnection(port);
    await conn.request('/work');
    void lifecycle.shutdown('test');
    await sleep(20);
    // Write the request, then stall the loop after its poll phase (as a long handler or a GC
    // pause would): the request sits unread in the kernel while the idle sweep becomes overdue,
    // and the next loop iteration runs timers before it reads sockets.
    const pending = await new Promise<ReturnType<RawConnection['request']>>((resolve) =>
      setImmediate(() => {
        const p = conn.request('/work?ms=1');
        const stallUntil = performance.now() + 150;
        while (performance.now() < stallUntil);
        resolve(p);
      }),
    );
    const res = await pending;
    expect(res.body).toBe('ok:1');
    expect(res.headers).toContain('connection: close');
    expect(conn.error).toBeUndefined();
  });

  it('adds Connection: close to a response in flight at drain start whose headers are not sent yet', async () => {
    const { lifecycle, port } = await start();
    const conn = new RawConnection(port);
    const pending = conn.request('/work?ms=200');
    await sleep(50);
    const stopped = lifecycle.shutdown('test');
    const res = await pending;
    expect(res.body).toBe('ok:200');
    expect(res.headers).toContain('connection: close');
    const result = await stopped;
    expect(result.durationMs).toBeLessThan(400);
  });

  it('keeps responses keep-alive while the drain delay lets endpoint removal propagate', async () => {
    const { lifecycle, port } = await start({ drainDelayMs: 300 });
    const conn = new RawConnection(port);
    void lifecycle.shutdown('test');
    await sleep(50);
    expect(lifecycle.phase).toBe('propagating');
    expect((await conn.request('/work')).headers).toContain('connection: keep-alive');
    // New connections are still accepted during the delay.
    expect((await new RawConnection(port).request('/work')).status).toBe(200);
  });
});

describe('probes', () => {
  it('fail readiness until ready(), then pass; liveness passes throughout', async () => {
    const { lifecycle, port } = await start({ drainDelayMs: 500 });
    const conn = new RawConnection(port);
    expect((await conn.request('/readyz')).status).toBe(503);
    expect((await conn.request('/livez')).status).toBe(200);
    lifecycle.ready();
    expect(JSON.parse((await conn.request('/readyz')).body)).toEqual({ status: 'ready', phase: 'ready', checks: {} });
    void lifecycle.shutdown('test');
    expect(JSON.parse((await conn.request('/readyz')).body)).toMatchObject({ status: 'not ready', phase: 'propagating' });
    expect(JSON.parse((await conn.request('/livez')).body)).toEqual({ status: 'alive', phase: 'propagating' });
  });

  it('answer HEAD without a body, leave other methods and paths to the app, and honour custom paths', async () => {
    const { port } = await start({ ready: true, probes: { readinessPath: '/health/ready', livenessPath: '/health/live' } }, (req, res) =>
      res.end(`app:${req.method}:${req.url}`),
    );
    const head = await new Promise<http.IncomingMessage>((r) => http.request({ port, host: '127.0.0.1', method: 'HEAD', path: '/health/ready' }, r).end());
    expect(head.statusCode).toBe(200);
    const conn = new RawConnection(port);
    expect((await conn.request('/readyz')).body).toBe('app:GET:/readyz');
    expect((await conn.request('/health/readyz')).body).toBe('app:GET:/health/readyz');
    expect((await conn.request('/health/live?x=1')).status).toBe(200);
  });

  it('report each readiness check; a slow check fails after checkTimeoutMs', async () => {
    const { lifecycle, port } = await start({ ready: true, probes: { checkTimeoutMs: 100 } });
    lifecycle.addReadinessCheck('cache', () => true);
    lifecycle.addReadinessCheck('queue', () => new Promise<boolean>((r) => setTimeout(() => r(true), 1_000)));
    const res = await new RawConnection(port).request('/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).checks).toEqual({ cache: { ok: true }, queue: { ok: false, error: 'timed out after 100 ms' } });
  });
});

describe('cleanup hooks and phases', () => {
  it('run after the drain, last registered first, each told the time left; a failing hook makes the exit non-zero', async () => {
    const { lifecycle, port } = await start({ timeoutMs: 3_000 });
    const calls: string[] = [];
    const phases: string[] = [];
    lifecycle.on('phase', (e) => phases.push(e.phase));
    lifecycle.addCleanup('database', () => void calls.push('database'));
    lifecycle.addCleanup('broken', () => {
      throw new Error('boom');
    });
    lifecycle.addCleanup('queue', ({ remainingMs, signal }) => {
      expect(remainingMs).toBeGreaterThan(2_000);
      expect(signal.aborted).toBe(false);
      calls.push('queue');
    });
    const inFlight = new RawConnection(port).request('/work?ms=150');
    await sleep(20);
    const result = await lifecycle.shutdown('test');
    expect((await inFlight).body).toBe('ok:150');
    expect(calls).toEqual(['queue', 'database']);
    expect(phases).toEqual(['propagating', 'draining', 'cleaning-up', 'stopped']);
    expect(result).toMatchObject({ exitCode: 1, forced: false, reason: 'test' });
  });

  it('shutdown() twice returns the same result', async () => {
    const { lifecycle } = await start();
    expect(lifecycle.shutdown('a')).toBe(lifecycle.shutdown('b'));
  });
});

describe('attach-time errors', () => {
  it('refuses a second attach to the same server', async () => {
    const { server } = await start();
    expect(() => graceful(server, { exit: false, signals: [] })).toThrow(
      expect.objectContaining({ code: 'graceful-already-attached', legacyCode: 'GRACEFUL_ALREADY_ATTACHED' }),
    );
  });

  it.each([
    ['a plain TCP server', () => net.createServer()],
    ['an object', () => ({ listen() {} })],
    ['undefined', () => undefined],
  ])('refuses %s that is not an HTTP server', (_name, make) => {
    expect(() => graceful(make() as unknown as net.Server, { exit: false, signals: [] })).toThrow(
      expect.objectContaining({
        code: 'graceful-not-http-server',
        legacyCode: 'GRACEFUL_NOT_HTTP_SERVER',
        message: expect.stringMatching(/server must be a node:http, node:https or node:http2 server/),
      }),
    );
  });
});
