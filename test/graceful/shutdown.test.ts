/**
 * The rest of the sequence with real processes and signals: the hard deadline, cleanup hooks,
 * upgraded sockets, probes, a second signal, and PID 1 in a fresh PID namespace (docs/reference/signals.md#pid-1).
 * Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, reapAll } from './harness.js';

afterEach(reapAll);

function get(port: number, path: string): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
      .on('error', reject);
  });
}

describe('hard deadline', () => {
  it('destroys a request that never ends, logs why, and exits non-zero at timeoutMs', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 200, timeoutMs: 1_000 } });
    try {
      const hung = new Promise<string>((resolve) => {
        http.get({ host: '127.0.0.1', port: a.port, path: '/hang', agent: false }, (res) => {
          res.on('data', () => {});
          res.on('error', (e) => resolve(e.message));
          res.on('close', () => resolve('closed'));
        });
      });
      await sleep(100);
      const signalAt = a.signal();
      const exit = await a.exited;
      expect(exit.code).toBe(1);
      expect(exit.at - signalAt).toBeGreaterThanOrEqual(950);
      expect(exit.at - signalAt).toBeLessThan(1_600);
      expect(a.stderr()).toMatch(/hard deadline of 1000 ms \(from timeoutMs\) reached in phase draining with 1 requests in flight on 1 HTTP\/1 sockets/);
      expect(a.phases.at(-1)).toMatchObject({ phase: 'stopped', forced: true, exitCode: 1 });
      await expect(hung).resolves.toBeDefined();
    } finally {
      a.kill();
    }
  });

  it('bounds cleanup hooks by the time left', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 100, timeoutMs: 800 }, env: { CLEANUP_MS: '5000' } });
    try {
      const signalAt = a.signal();
      const exit = await a.exited;
      expect(exit.code).toBe(1);
      expect(exit.at - signalAt).toBeLessThan(1_400);
      expect(a.stderr()).toMatch(/while cleanup hooks were still running/);
    } finally {
      a.kill();
    }
  });
});

describe('cleanup hooks', () => {
  it('run after the drain, last registered first, then the process exits 0', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 200, timeoutMs: 5_000 }, env: { CLEANUP_MS: '150' } });
    try {
      const slow = get(a.port, '/work?ms=500');
      await sleep(50);
      const signalAt = a.signal();
      expect((await slow).body).toBe('ok:500');
      const exit = await a.exited;
      expect(exit.code).toBe(0);
      const order = a.lines.filter((l) => l.event === 'cleanup' || l.event === 'phase').map((l) => (l.event === 'cleanup' ? l.name : l.phase));
      expect(order).toEqual(['ready', 'propagating', 'draining', 'cleaning-up', 'slow-db', 'first-registered', 'stopped']);
      expect(exit.at - signalAt).toBeGreaterThanOrEqual(450 + 150);
      expect(exit.at - signalAt).toBeLessThan(1_300);
    } finally {
      a.kill();
    }
  });
});

describe('upgraded sockets', () => {
  async function openUpgraded(port: number): Promise<{ socket: net.Socket; received: () => string; ended: Promise<void> }> {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    const ended = new Promise<void>((r) => socket.once('end', () => r()));
    socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    while (!received.includes('101')) await sleep(10);
    return { socket, received: () => received, ended };
  }

  it('hands them to onUpgradedSocket with the deadline when draining starts', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 200, timeoutMs: 5_000 }, env: { UPGRADE_HOOK: '1' } });
    try {
      const ws = await openUpgraded(a.port);
      ws.socket.write('ping');
      await sleep(50);
      const signalAt = a.signal();
      await ws.ended;
      expect(ws.received()).toMatch(/ping.*bye:in-time$/s);
      const exit = await a.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - signalAt).toBeLessThan(1_000);
    } finally {
      a.kill();
    }
  });

  it('ends them when no hook is given, instead of waiting for the deadline', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 200, timeoutMs: 5_000 } });
    try {
      const ws = await openUpgraded(a.port);
      const signalAt = a.signal();
      await ws.ended;
      ws.socket.end();
      const exit = await a.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - signalAt).toBeLessThan(1_000);
    } finally {
      a.kill();
    }
  });
});

describe('probes and signals', () => {
  it('readiness waits for ready(), fails at once on SIGTERM; liveness stays OK on the probe port', async () => {
    const a = await startServer({
      framework: 'http',
      options: { drainDelayMs: 400, timeoutMs: 5_000, probes: { port: 0, host: '127.0.0.1' } },
      env: { READY_AFTER_MS: '300' },
    });
    try {
      while (!a.lines.some((l) => l.event === 'probe-listening')) await sleep(10);
      const probePort = a.lines.find((l) => l.event === 'probe-listening')!.port as number;
      expect((await get(probePort, '/readyz')).status).toBe(503);
      await sleep(350);
      expect(await get(probePort, '/readyz')).toMatchObject({ status: 200 });
      // Probe paths are not served on the app port when a probe port is set.
      expect((await get(a.port, '/readyz')).status).toBe(404);
      const slow = get(a.port, '/work?ms=800');
      await sleep(50);
      const signalAt = a.signal();
      await sleep(50);
      const ready = await get(probePort, '/readyz');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'not ready', phase: 'propagating' });
      expect(performance.now() - signalAt).toBeLessThan(300);
      await sleep(500); // now draining: the app listener is closed, the probe port still answers
      expect(a.phases.at(-1)?.phase).toBe('draining');
      expect(await get(probePort, '/livez')).toMatchObject({ status: 200 });
      expect((await slow).body).toBe('ok:800');
      expect((await a.exited).code).toBe(0);
    } finally {
      a.kill();
    }
  });

  it('serves probes on the app port before the app handler, with readiness check results', async () => {
    const a = await startServer({ framework: 'express', options: { drainDelayMs: 200, timeoutMs: 5_000 }, env: { FAILING_CHECK: '1' } });
    try {
      const ready = await get(a.port, '/readyz?verbose=1');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toEqual({ status: 'not ready', phase: 'ready', checks: { database: { ok: false, error: 'connection refused' } } });
      expect(await get(a.port, '/livez')).toMatchObject({ status: 200 });
      expect((await get(a.port, '/work?ms=1')).body).toBe('ok:1');
    } finally {
      a.kill();
    }
  });

  it('ignores a second SIGTERM and still drains', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 200, timeoutMs: 5_000 } });
    try {
      const slow = get(a.port, '/work?ms=600');
      await sleep(50);
      a.signal();
      await sleep(100);
      a.signal();
      expect((await slow).body).toBe('ok:600');
      const exit = await a.exited;
      expect(exit.code).toBe(0);
      expect(a.stderr()).toMatch(/SIGTERM received again during shutdown; ignored/);
    } finally {
      a.kill();
    }
  });

  it('starts on a configured signal such as SIGQUIT', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 100, timeoutMs: 5_000, signals: ['SIGQUIT'] } });
    try {
      a.signal('SIGQUIT');
      const exit = await a.exited;
      expect(exit.code).toBe(0);
      expect(a.phases.find((p) => p.phase === 'propagating')).toMatchObject({ reason: 'SIGQUIT' });
    } finally {
      a.kill();
    }
  });

  it('warns when keepAliveTimeout is at or below common proxy idle timeouts, and not above', async () => {
    const short = await startServer({ framework: 'http', options: { drainDelayMs: 0, timeoutMs: 1_000 } });
    const long = await startServer({ framework: 'http', options: { drainDelayMs: 0, timeoutMs: 1_000 }, env: { KEEP_ALIVE_TIMEOUT_MS: '65000' } });
    try {
      // stderr and stdout are separate pipes: give the warning line time to arrive.
      for (let i = 0; i < 100 && !short.stderr().includes('keepAliveTimeout'); i++) await sleep(10);
      await sleep(200);
      expect(short.stderr()).toMatch(/keepAliveTimeout is 5000 ms, at or below the 60 s idle timeout/);
      expect(long.stderr()).not.toMatch(/keepAliveTimeout/);
    } finally {
      short.kill();
      long.kill();
    }
  });
});

const isRoot = process.getuid?.() === 0;
const hasUnshare = (() => {
  try {
    execFileSync('unshare', ['--pid', '--fork', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!isRoot || !hasUnshare) console.warn('SKIPPING PID 1 tests: they need root and a working `unshare --pid --fork` (docs/reference/signals.md#pid-1)');

describe.skipIf(!isRoot || !hasUnshare)('as PID 1 of a PID namespace (unshare --pid --fork)', () => {
  it('stops gracefully on SIGTERM because graceful installs a handler', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: 200, timeoutMs: 5_000 }, wrap: ['unshare', '--pid', '--fork'] });
    try {
      expect(a.lines.find((l) => l.event === 'listening')!.pid).toBe(1);
      const slow = get(a.port, '/work?ms=400');
      await sleep(50);
      a.signal();
      expect((await slow).body).toBe('ok:400');
      expect((await a.exited).code).toBe(0);
    } finally {
      a.kill();
    }
  });

  it('control: without graceful, Node as PID 1 ignores SIGTERM', async () => {
    const a = await startServer({ framework: 'http', env: { NO_GRACEFUL: '1' }, wrap: ['unshare', '--pid', '--fork'] });
    try {
      a.signal();
      const outcome = await Promise.race([a.exited.then(() => 'exited'), sleep(800).then(() => 'still running')]);
      expect(outcome).toBe('still running');
    } finally {
      a.kill();
    }
  });
});
