import { describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { EventStream } from '../../events/stream.js';
import type { ZerodropEvent } from '../../events/schema.js';
import { startLoad } from '../../load/generator.js';
import { refusedPort } from '../../load/fixtures/test-servers.js';
import { proxyTestHarness } from './fixtures/proxyHarness.js';

const { backend, proxy, closeLater } = proxyTestHarness();

async function get(pool: Pool): Promise<{ status: number; pod: string | undefined; proxyError: string | undefined; body: string }> {
  const res = await pool.request({ path: '/', method: 'GET' });
  const body = await res.body.text();
  return {
    status: res.statusCode,
    pod: res.headers['x-zerodrop-pod'] as string | undefined,
    proxyError: res.headers['x-zerodrop-proxy-error'] as string | undefined,
    body,
  };
}

describe('L7 proxy (ingress-like, docs/reference/traffic-routing.md#ingress-and-load-balancers)', () => {
  it('round-robins per request and names the serving pod', async () => {
    const [a, b] = [await backend('a'), await backend('b')];
    const p = await proxy({ endpoints: [a.endpoint, b.endpoint] });
    const pool = new Pool(p.url.slice(0, -1), { connections: 1 });
    const pods = [];
    for (let i = 0; i < 6; i++) pods.push((await get(pool)).pod);
    await pool.close();
    expect(pods).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('answers 503 when there are no endpoints', async () => {
    const p = await proxy({});
    const pool = new Pool(p.url.slice(0, -1));
    expect(await get(pool)).toMatchObject({ status: 503, proxyError: 'NO_ENDPOINTS' });
    await pool.close();
  });

  it('answers 502 when the endpoint refuses the connection', async () => {
    const port = await refusedPort();
    const p = await proxy({ endpoints: [{ name: 'gone', host: '127.0.0.1', port }] });
    const pool = new Pool(p.url.slice(0, -1));
    expect(await get(pool)).toMatchObject({ status: 502, pod: 'gone', proxyError: 'ECONNREFUSED' });
    await pool.close();
  });

  it('answers 502 when the endpoint resets or closes before the response', async () => {
    const reset = await backend('reset', { behaviour: 'reset-before-headers' });
    const closed = await backend('closed', { behaviour: 'close-before-headers' });
    const p = await proxy({ endpoints: [reset.endpoint, closed.endpoint] });
    const pool = new Pool(p.url.slice(0, -1), { connections: 1 });
    const results = [await get(pool), await get(pool)];
    await pool.close();
    expect(results.map((r) => r.status)).toEqual([502, 502]);
    expect(results.map((r) => r.proxyError)).toEqual(['ECONNRESET', 'UND_ERR_SOCKET']);
  });

  it('cuts the client connection when the endpoint resets mid-response', async () => {
    const bad = await backend('bad', { behaviour: 'reset-mid-body' });
    const p = await proxy({ endpoints: [bad.endpoint] });
    const r = await startLoad({ url: p.url, rate: 20, durationMs: 200 }).done;
    expect(r.records).toHaveLength(4);
    for (const rec of r.records) {
      expect(rec.status).toBe(200);
      expect(['reset', 'socket-closed']).toContain(rec.error);
    }
  });

  it('lets in-flight requests to a removed endpoint finish and sends new ones elsewhere', async () => {
    const slow = await backend('slow', { delayMs: 400 });
    const fast = await backend('fast');
    const p = await proxy({ endpoints: [slow.endpoint] });
    const pool = new Pool(p.url.slice(0, -1));
    const inFlight = get(pool);
    await new Promise((r) => setTimeout(r, 100));
    await p.setEndpoints([fast.endpoint]);
    const after = await get(pool);
    expect(after).toMatchObject({ status: 200, pod: 'fast' });
    expect(await inFlight).toMatchObject({ status: 200, pod: 'slow', body: 'slow' });
    await pool.close();
  });

  it('drops idle pooled connections to a removed endpoint', async () => {
    const a = await backend('a');
    const b = await backend('b');
    const p = await proxy({ endpoints: [a.endpoint], upstreamKeepAliveMs: 30_000 });
    await startLoad({ url: p.url, rate: 100, durationMs: 200 }).done;
    expect(a.openConnections()).toBeGreaterThan(0); // pooled, idle
    await p.setEndpoints([b.endpoint]);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.openConnections()).toBe(0);
  });

  it('keeps idle upstream sockets past the server keep-alive hint, as nginx does (docs/reference/node-http.md#keep-alive-race)', async () => {
    // undici's default would not reuse this socket: the 1 s hint minus its 2 s threshold is below zero.
    const a = await backend('a', { keepAliveTimeoutMs: 1000 });
    const p = await proxy({ endpoints: [a.endpoint], upstreamKeepAliveMs: 30_000 });
    const pool = new Pool(p.url.slice(0, -1), { connections: 1 });
    await get(pool);
    await new Promise((r) => setTimeout(r, 100));
    await get(pool);
    await pool.close();
    expect(a.requests).toBe(2);
    expect(a.connections).toBe(1);
  });

  it.each([
    [0, 200, undefined],
    [1000, 502, 'UND_ERR_SOCKET'],
  ])(
    'keep-alive race (docs/reference/node-http.md#keep-alive-race): app closes an idle pooled connection, close noticed %i ms late → %i',
    async (delayMs, status, proxyError) => {
      const { createServer } = await import('node:http');
      // The app closes every connection 100 ms after its response, whatever it announced.
      const app = createServer((req, res) => {
        res.end('x');
        res.on('finish', () => setTimeout(() => req.socket.destroy(), 100));
      });
      await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
      closeLater({ close: () => new Promise<void>((r) => app.close(() => r())) });
      const endpoint = { name: 'app', host: '127.0.0.1', port: (app.address() as { port: number }).port };
      const p = await proxy({ endpoints: [endpoint], upstreamKeepAliveMs: 60_000, upstreamCloseNoticeDelayMs: delayMs });
      const pool = new Pool(p.url.slice(0, -1), { connections: 1 });
      expect((await get(pool)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 400)); // the app closed at 100 ms; the proxy notices at 100 + delay
      expect(await get(pool)).toMatchObject({ status, proxyError });
      await pool.close();
    },
  );

  it('does not retry by default, and retries idempotent requests elsewhere with retries: 1', async () => {
    const port = await refusedPort();
    const good = await backend('good');
    const endpoints = [{ name: 'gone', host: '127.0.0.1', port }, good.endpoint];
    const noRetry = await proxy({ endpoints });
    const r0 = await startLoad({ url: noRetry.url, rate: 100, durationMs: 200 }).done;
    expect(r0.records.filter((x) => x.status === 502)).toHaveLength(10);
    const withRetry = await proxy({ endpoints, retries: 1 });
    const r1 = await startLoad({ url: withRetry.url, rate: 100, durationMs: 200 }).done;
    expect(r1.records.every((x) => x.status === 200 && x.pod === 'good')).toBe(true);
  });

  it('streams request bodies through, and never retries a POST', async () => {
    const { createServer } = await import('node:http');
    const echo = createServer((req, res) => req.pipe(res));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    closeLater({ close: () => new Promise<void>((r) => echo.close(() => r())) });
    const port = (echo.address() as { port: number }).port;
    const gone = await refusedPort();
    const p = await proxy({
      endpoints: [
        { name: 'echo', host: '127.0.0.1', port },
        { name: 'gone', host: '127.0.0.1', port: gone },
      ],
      retries: 3,
    });
    const pool = new Pool(p.url.slice(0, -1), { connections: 1 });
    const post = async (): Promise<{ status: number; body: string }> => {
      const res = await pool.request({ path: '/', method: 'POST', body: 'hello through the proxy' });
      return { status: res.statusCode, body: await res.body.text() };
    };
    const results = [await post(), await post()];
    await pool.close();
    expect(results).toContainEqual({ status: 200, body: 'hello through the proxy' });
    expect(results.map((r) => r.status).sort()).toEqual([200, 502]); // the POST to `gone` is not retried
  });

  it('emits endpoint events when its view changes', async () => {
    const [a, b] = [await backend('a'), await backend('b')];
    const events = new EventStream('t');
    const seen: ZerodropEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const p = await proxy({ endpoints: [a.endpoint], events });
    await p.setEndpoints([b.endpoint]);
    expect(seen.map((e) => (e.type === 'endpoint' ? `${e.consumer} ${e.change} ${e.pod}` : e.type))).toEqual([
      'proxy added a',
      'proxy added b',
      'proxy removed a',
    ]);
    expect(p.endpoints()).toEqual([b.endpoint]);
  });
});
