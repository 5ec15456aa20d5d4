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
import { RawConnection } from '../../test/graceful/raw-http.js';

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

describe('adaptive drain', () => {
  function logs(): { lines: string[]; logger: GracefulOptions['logger'] } {
    const lines: string[] = [];
    const push = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
    return { lines, logger: { info: push('info'), warn: push('warn'), error: push('error') } };
  }
  const adaptive: GracefulOptions = { drain: 'adaptive', drainDelayMs: 200, quietPeriodMs: 300, maxDrainDelayMs: 3_000, timeoutMs: 5_000 };

  it('serves with Connection: close from the signal on and closes the listener quietPeriodMs after the last request', async () => {
    const log = logs();
    const { lifecycle, port } = await start({ ...adaptive, logger: log.logger });
    const phases: { phase: string; at: number }[] = [];
    lifecycle.on('phase', (e) => phases.push({ phase: e.phase, at: performance.now() }));
    const keepAlive = new RawConnection(port);
    expect((await keepAlive.request('/work')).headers).toContain('connection: keep-alive');
    const stopped = lifecycle.shutdown('test');
    expect((await keepAlive.request('/work')).headers).toContain('connection: close');
    // New connections keep being accepted while traffic goes on, past drainDelayMs.
    let lastSent = 0;
    for (let i = 0; i < 6; i++) {
      await sleep(100);
      lastSent = performance.now();
      const res = await new RawConnection(port).request('/work');
      expect(res.headers).toContain('connection: close');
    }
    expect(lifecycle.phase).toBe('propagating');
    await stopped;
    // The server saw the last request no earlier than it was sent, and waits 300 ms from there
    // (timers may fire up to a millisecond early against performance.now()).
    const draining = phases.find((p) => p.phase === 'draining')!;
    expect(draining.at - lastSent).toBeGreaterThanOrEqual(298);
    expect(draining.at - lastSent).toBeLessThan(800);
    expect(log.lines.join('\n')).toMatch(/info: still serving \d+ ms after the signal: \d+ requests and \d+ new connections in the last \d+ ms/);
    expect(log.lines.join('\n')).toMatch(/info: draining: no new request or connection for 300 ms \(\d+ ms after the signal\); stopped accepting/);
  });

  it('waits at least drainDelayMs when no traffic comes at all', async () => {
    const { lifecycle } = await start(adaptive);
    const result = await lifecycle.shutdown('test');
    expect(result.exitCode).toBe(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(700);
  });

  it('is not held open by probe requests', async () => {
    const { lifecycle, port } = await start({ ...adaptive, ready: true });
    const stopped = lifecycle.shutdown('test');
    const probing = (async () => {
      for (let i = 0; i < 20 && lifecycle.phase === 'propagating'; i++) {
        await new RawConnection(port).request('/readyz').catch(() => undefined);
        await sleep(50);
      }
    })();
    const result = await stopped;
    await probing;
    expect(result.durationMs).toBeLessThan(800);
  });

  it('is held open by a new connection that has not sent its request yet', async () => {
    const { lifecycle, port } = await start(adaptive);
    const phases: { phase: string; at: number }[] = [];
    lifecycle.on('phase', (e) => phases.push({ phase: e.phase, at: performance.now() }));
    const stopped = lifecycle.shutdown('test');
    await sleep(150);
    const late = new RawConnection(port);
    await late.connected();
    const openedAt = performance.now();
    await sleep(250);
    const res = await late.request('/work');
    expect(res.status).toBe(200);
    await stopped;
    const draining = phases.find((p) => p.phase === 'draining')!;
    expect(draining.at - openedAt).toBeGreaterThanOrEqual(280);
  });

  it('stops accepting at maxDrainDelayMs when traffic never stops, says so, and still finishes in-flight work', async () => {
    const log = logs();
    const { lifecycle, port } = await start({ ...adaptive, maxDrainDelayMs: 700, logger: log.logger });
    const stopped = lifecycle.shutdown('test');
    const busy = (async () => {
      const outcomes: string[] = [];
      while (lifecycle.phase === 'propagating') {
        const conn = new RawConnection(port);
        // A connection that reaches the listener just after it closed is refused: the documented
        // cost of stopping while traffic goes on. Every accepted request must be answered.
        const outcome = await conn.request('/work?ms=5').then(
          (r) => String(r.status),
          () => conn.error?.message ?? 'no answer',
        );
        outcomes.push(outcome);
        await sleep(20);
      }
      return outcomes;
    })();
    const result = await stopped;
    expect((await busy).filter((o) => o !== '200' && !/ECONNREFUSED/.test(o))).toEqual([]);
    expect(result).toMatchObject({ exitCode: 0, forced: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(690);
    expect(result.durationMs).toBeLessThan(1_200);
    expect(log.lines.join('\n')).toMatch(/warn: traffic was still arriving \d+ ms after the signal \(maxDrainDelayMs 700 ms/);
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
