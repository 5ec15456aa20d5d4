import { afterEach, describe, expect, it } from 'vitest';
import { EventStream } from '../events/stream.js';
import type { ZerodropEvent } from '../events/schema.js';
import { startLoad } from './generator.js';
import { refusedPort, startBackend, type Behaviour, type TestBackend } from './fixtures/test-servers.js';

/** Where success is asserted, a busy shared 2-core machine must not turn slow answers into timeouts. */
const SUCCESS_TIMEOUT = 15_000;

const backends: TestBackend[] = [];
async function backend(name: string, options: Parameters<typeof startBackend>[1] = {}): Promise<TestBackend> {
  const b = await startBackend(name, options);
  backends.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

describe('schedule accuracy (open model, intended times)', () => {
  it('sends rate × duration requests at their intended times, spaced exactly 1/rate apart', async () => {
    const b = await backend('a', { podHeader: true });
    const r = await startLoad({ url: b.url, rate: 200, durationMs: 1500, timeoutMs: SUCCESS_TIMEOUT }).done;
    expect(r.records).toHaveLength(300);
    expect(r.records.filter((x) => x.error).map((x) => x.code)).toEqual([]);
    expect(b.requests).toBe(300);
    for (let i = 1; i < r.records.length; i++) expect(r.records[i]!.intended - r.records[i - 1]!.intended).toBeCloseTo(5, 2);
    const lags = r.records.map((x) => x.start - x.intended).sort((x, y) => x - y);
    expect(lags[0]).toBeGreaterThanOrEqual(0); // never early
    // Margins for a shared, busy 2-core machine; a closed-loop or drifting schedule blows them.
    expect(lags[Math.floor(lags.length / 2)]).toBeLessThan(300);
    expect(r.records.at(-1)!.start - r.records.at(-1)!.intended).toBeLessThan(500);
    expect(r.health.sent).toBe(300);
    expect(r.records.every((x) => x.status === 200 && x.pod === 'a' && x.error === undefined)).toBe(true);
    expect(r.endMs - r.startMs).toBeCloseTo(1500, 0);
  });

  it('is bounded by the request count as well as the duration', async () => {
    const b = await backend('a');
    const t0 = performance.now();
    const r = await startLoad({ url: b.url, rate: 500, durationMs: 10_000, maxRequests: 50 }).done;
    expect(r.records).toHaveLength(50);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('does not slow down for a slow server (no coordinated omission)', async () => {
    const b = await backend('slow', { delayMs: 300 });
    const r = await startLoad({ url: b.url, rate: 100, durationMs: 1000, timeoutMs: SUCCESS_TIMEOUT }).done;
    expect(r.records).toHaveLength(100);
    // Requests overlapped instead of waiting for each other: the last left ~990 ms after the first.
    expect(r.records.at(-1)!.start - r.records[0]!.start).toBeLessThan(1100);
    expect(r.latency.p50).toBeGreaterThanOrEqual(295);
    expect(r.health.sent).toBe(r.health.planned);
  });

  it('reports itself unhealthy when it could not hold the schedule', async () => {
    const b = await backend('a');
    const run = startLoad({ url: b.url, rate: 100, durationMs: 2000 });
    await new Promise((r) => setTimeout(r, 200));
    const until = performance.now() + 1200;
    while (performance.now() < until); // the generator's own process stalls for 1.2 s
    const r = await run.done;
    expect(r.records).toHaveLength(200); // late requests are still sent, at their own intended times
    expect(r.health.healthy).toBe(false);
    expect(r.health.reasons.join()).toMatch(/stalled/);
  });

  it('emits a request event per request and a load tick per second', async () => {
    const b = await backend('a');
    const events = new EventStream('t');
    const seen: ZerodropEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const r = await startLoad({ url: b.url, rate: 100, durationMs: 2000, events }).done;
    expect(seen.filter((e) => e.type === 'request')).toHaveLength(200);
    const ticks = seen.filter((e) => e.type === 'load');
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.reduce((n, e) => n + (e.type === 'load' ? e.sent : 0), 0)).toBe(200);
    expect(r.ticks).toHaveLength(ticks.length);
  });

  it('stop() ends the schedule early and waits for requests in flight', async () => {
    const b = await backend('slow', { delayMs: 200 });
    const run = startLoad({ url: b.url, rate: 100, durationMs: 10_000, timeoutMs: SUCCESS_TIMEOUT });
    await new Promise((r) => setTimeout(r, 300));
    const r = await run.stop();
    expect(r.stoppedEarly).toBe(true);
    expect(r.records.length).toBeGreaterThan(20);
    expect(r.records.length).toBeLessThan(60);
    expect(r.records.every((x) => x.status === 200)).toBe(true);
    expect(r.health.sent).toBe(r.health.planned); // planned counts only up to the stop
  });
});

describe('error classification against real failing servers (docs/reference/load-verification.md#client-error-classes)', () => {
  // A reset in the middle of a body races undici's read of the partial data: it surfaces as the
  // RST itself or as "other side closed"; both are the pod dying mid-response.
  const cases: Array<[Behaviour, string, string[]]> = [
    ['status-503', 'http-5xx', ['http-5xx HTTP_503']],
    ['reset-before-headers', 'reset', ['reset ECONNRESET']],
    ['close-before-headers', 'socket-closed', ['socket-closed UND_ERR_SOCKET']],
    ['reset-mid-body', 'reset or socket-closed', ['reset ECONNRESET', 'socket-closed UND_ERR_SOCKET']],
    ['hang', 'timeout', ['timeout TIMEOUT']],
  ];
  it.each(cases)('%s → %s', async (behaviour, _label, allowed) => {
    const b = await backend('bad', { behaviour });
    // Only `hang` should ever reach the timeout, however busy the machine.
    const r = await startLoad({ url: b.url, rate: 50, durationMs: 200, timeoutMs: behaviour === 'hang' ? 300 : 5000 }).done;
    expect(r.records).toHaveLength(10);
    for (const rec of r.records) expect(allowed).toContain(`${rec.error} ${rec.code}`);
  });

  it('nothing listening → refused', async () => {
    const port = await refusedPort();
    const r = await startLoad({ url: `http://127.0.0.1:${port}/`, rate: 50, durationMs: 200 }).done;
    expect(r.records.map((x) => x.error)).toEqual(new Array(10).fill('refused'));
  });

  it('never retries: the server receives exactly one attempt per failed request', async () => {
    const b = await backend('bad', { behaviour: 'close-before-headers' });
    const r = await startLoad({ url: b.url, rate: 100, durationMs: 300 }).done;
    expect(r.records).toHaveLength(30);
    expect(r.records.every((x) => x.error === 'socket-closed')).toBe(true);
    expect(b.requests).toBe(30);
  });
});

describe('connection model', () => {
  it('keep-alive reuses pooled connections', async () => {
    const b = await backend('a');
    const r = await startLoad({ url: b.url, rate: 20, durationMs: 500, timeoutMs: SUCCESS_TIMEOUT }).done;
    expect(r.records.every((x) => x.status === 200)).toBe(true);
    // 10 requests 50 ms apart: one connection normally, never one per request.
    expect(b.connections).toBeLessThan(10);
  });

  it('fresh opens one connection per request', async () => {
    const b = await backend('a');
    const r = await startLoad({ url: b.url, rate: 100, durationMs: 500, connection: 'fresh', timeoutMs: SUCCESS_TIMEOUT }).done;
    expect(r.records.every((x) => x.status === 200)).toBe(true);
    expect(b.connections).toBe(50);
  });
});
