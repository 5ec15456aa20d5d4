/**
 * Clients and configurations that broke the drain: each case drives a real child-process server
 * from a raw socket, so the test controls every byte and its timing. The server uses the default
 * fixed drain delay unless a case says otherwise.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { reapAll, startServer, type ChildServer } from './harness.js';
import { RawConnection } from './raw-http.js';

afterEach(reapAll);

const DRAIN_DELAY_MS = 100;
const TIMEOUT_MS = 5_000;

async function phaseReached(server: ChildServer, phase: string, limitMs = 3_000): Promise<void> {
  for (const start = performance.now(); !server.phases.some((p) => p.phase === phase); await sleep(5)) {
    if (performance.now() - start > limitMs) throw new Error(`phase ${phase} not reached; stderr:\n${server.stderr()}`);
  }
}

/** A request kept in flight on its own connection, so the drain cannot finish early and idle sockets stay open. */
function inFlight(port: number, ms: number): Promise<string> {
  return new RawConnection(port).request(`/work?ms=${ms}`, ms + 3_000).then((r) => r.body);
}

describe('requests the drain used to cut', () => {
  it('an Expect: 100-continue upload handled through checkContinue finishes, and the exit waits for it', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: TIMEOUT_MS }, env: { CHECK_CONTINUE: '1' } });
    const client = new RawConnection(a.port);
    client.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n');
    expect((await client.nextResponse()).status).toBe(100);
    a.signal();
    await phaseReached(a, 'draining');
    // Longer than idleGraceMs: a socket wrongly taken for idle would be closed by now.
    await sleep(300);
    client.write('01234');
    await sleep(100);
    client.write('56789');
    const res = await client.nextResponse();
    expect(res.body, a.stderr()).toBe('got:10');
    expect(res.headers).toContain('connection: close');
    expect((await a.exited).code).toBe(0);
  });

  it('a request whose headers are still arriving when the drain starts is served', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: TIMEOUT_MS } });
    const client = new RawConnection(a.port);
    client.write('GET /work?ms=5 HTTP/1.1\r\nHost: x\r\n');
    await sleep(50);
    a.signal();
    await phaseReached(a, 'draining');
    await sleep(300);
    client.write('Accept: */*\r\n\r\n');
    const res = await client.nextResponse();
    expect(res.body, a.stderr()).toBe('ok:5');
    expect(res.headers).toContain('connection: close');
    expect((await a.exited).code).toBe(0);
  });

  it('pipelined requests sent during the drain are all answered, the last one with Connection: close', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: TIMEOUT_MS } });
    const slow = inFlight(a.port, 800);
    const client = new RawConnection(a.port);
    expect((await client.request('/work?ms=1')).headers).toContain('connection: keep-alive');
    a.signal();
    await phaseReached(a, 'draining');
    client.write(['/work?ms=30', '/work?ms=1', '/work?ms=2'].map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
    const responses = [await client.nextResponse(), await client.nextResponse(), await client.nextResponse()];
    expect(responses.map((r) => r.body)).toEqual(['ok:30', 'ok:1', 'ok:2']);
    expect(responses.map((r) => r.headers.includes('connection: close'))).toEqual([false, false, true]);
    expect(await client.waitForEnd(1_000)).toBeDefined();
    expect(await slow).toBe('ok:800');
    expect((await a.exited).code).toBe(0);
  });
});

describe('upgraded sockets', () => {
  const upgrade = 'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n';

  it('an upgrade accepted during the drain is handed to onUpgradedSocket at once', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: TIMEOUT_MS }, env: { UPGRADE_HOOK: '1' } });
    const slow = inFlight(a.port, 600);
    const client = new RawConnection(a.port);
    await client.request('/work?ms=1');
    const signalAt = a.signal();
    await phaseReached(a, 'draining');
    client.write(upgrade);
    await client.waitFor(/101 Switching Protocols/);
    await client.waitFor(/bye:in-time$/);
    expect(await client.waitForEnd(1_000)).toBeDefined();
    expect(await slow).toBe('ok:600');
    const exit = await a.exited;
    expect(exit.code, a.stderr()).toBe(0);
    expect(exit.at - signalAt).toBeLessThan(2_000);
  });

  it('an upgraded socket whose client never answers the FIN is destroyed soon after, not at the deadline', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: TIMEOUT_MS } });
    const client = new RawConnection(a.port, { allowHalfOpen: true });
    client.write(upgrade);
    await client.waitFor(/101 Switching Protocols/);
    const signalAt = a.signal();
    expect(await client.waitForEnd(2_000)).toBeDefined();
    const exit = await a.exited;
    expect(exit.code, a.stderr()).toBe(0);
    // The server waits for every connection to close before it exits: an exit this early means
    // the half-open socket was destroyed, not left for the deadline.
    expect(exit.at - signalAt).toBeLessThan(1_500);
  });
});

describe('configuration the drain used to trip over', () => {
  it('a deadline above 2^31-1 ms is clamped with a warning instead of firing at once', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: 3_000_000_000 } });
    const slow = inFlight(a.port, 400);
    await sleep(50);
    a.signal();
    expect(await slow).toBe('ok:400');
    expect((await a.exited).code, a.stderr()).toBe(0);
    expect(a.stderr()).toMatch(/warning: timeoutMs 3000000000 ms is above the longest timer Node supports \(2147483647 ms\); using 2147483647 ms/);
  });

  it('a logger that throws does not stop the drain: its lines go to stderr', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: TIMEOUT_MS }, env: { LOGGER: 'throwing' } });
    const slow = inFlight(a.port, 400);
    await sleep(50);
    a.signal();
    expect(await slow).toBe('ok:400');
    expect((await a.exited).code, a.stderr()).toBe(0);
    expect(a.stderr()).toMatch(/logger\.info threw \(logger is broken\); writing to stderr instead/);
    expect(a.stderr()).toMatch(/stopped after \d+ ms; exit 0/);
  });

  it('a logger without warn gets its warnings on stderr and keeps its own info and error', async () => {
    const a = await startServer({ framework: 'http', options: { drainDelayMs: DRAIN_DELAY_MS, timeoutMs: TIMEOUT_MS }, env: { LOGGER: 'no-warn' } });
    const slow = inFlight(a.port, 300);
    await sleep(50);
    a.signal();
    expect(await slow).toBe('ok:300');
    expect((await a.exited).code, a.stderr()).toBe(0);
    expect(a.stderr()).toMatch(/zerodrop\/graceful: warning: server.keepAliveTimeout is 5000 ms/);
    expect(a.stderr()).toMatch(/custom info: stopped after \d+ ms; exit 0/);
  });
});
