import { describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { connect } from 'node:net';
import { startLoad } from '../../load/generator.js';
import { proxyTestHarness } from './fixtures/proxyHarness.js';
import type { ProxyOptions } from './types.js';

const harness = proxyTestHarness();
const backend = (name: string) => harness.backend(name, { podHeader: true });
const proxy = (options: Omit<ProxyOptions, 'mode'>) => harness.proxy({ ...options, mode: 'l4' });

async function podOf(pool: Pool): Promise<string> {
  const res = await pool.request({ path: '/', method: 'GET' });
  await res.body.text();
  return String(res.headers['x-zerodrop-pod']);
}

describe('L4 proxy (kube-proxy-like, docs/reference/traffic-routing.md#kube-proxy)', () => {
  it('balances per connection, not per request', async () => {
    const [a, b] = [await backend('a'), await backend('b')];
    const p = await proxy({ endpoints: [a.endpoint, b.endpoint] });
    const first = new Pool(p.url.slice(0, -1), { connections: 1 });
    const second = new Pool(p.url.slice(0, -1), { connections: 1 });
    const pods = [await podOf(first), await podOf(first), await podOf(second), await podOf(second), await podOf(first)];
    await Promise.all([first.close(), second.close()]);
    expect(pods).toEqual(['a', 'a', 'b', 'b', 'a']);
  });

  it('keeps an established keep-alive connection pinned to a removed pod; new connections go elsewhere', async () => {
    const [a, b] = [await backend('a'), await backend('b')];
    const p = await proxy({ endpoints: [a.endpoint] });
    const pinned = new Pool(p.url.slice(0, -1), { connections: 1, keepAliveTimeout: 30_000 });
    expect(await podOf(pinned)).toBe('a');
    await p.setEndpoints([b.endpoint]);
    // The old connection still reaches a, request after request (kube-proxy never cuts conntrack).
    expect([await podOf(pinned), await podOf(pinned), await podOf(pinned)]).toEqual(['a', 'a', 'a']);
    expect(p.connectionsByPod()).toEqual({ a: 1 });
    const fresh = new Pool(p.url.slice(0, -1), { connections: 1 });
    expect(await podOf(fresh)).toBe('b');
    await Promise.all([pinned.close(), fresh.close()]);
  });

  it('passes the pod closing a pinned connection on to the client', async () => {
    const a = await backend('a');
    const p = await proxy({ endpoints: [a.endpoint] });
    const r1 = await startLoad({ url: p.url, rate: 50, durationMs: 100 }).done;
    expect(r1.records.every((x) => x.status === 200)).toBe(true);
    await a.close(); // the pod exits; its sockets are destroyed
    await new Promise((r) => setTimeout(r, 50));
    expect(p.connectionsByPod()).toEqual({});
  });

  it('resets new connections when there are no endpoints', async () => {
    const p = await proxy({});
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const s = connect({ host: p.host, port: p.port });
      s.on('connect', () => s.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
      s.on('error', (e) => resolve(e));
      s.on('close', () => resolve(undefined));
    });
    expect(error?.code).toBe('ECONNRESET');
    const r = await startLoad({ url: p.url, rate: 50, durationMs: 100 }).done;
    expect(r.records.every((x) => x.error === 'reset' || x.error === 'socket-closed')).toBe(true);
  });

  it('with noEndpoints: blackhole, holds a new connection unanswered (a DROP rule) until the client gives up, and lets it go on close', async () => {
    const p = await proxy({ noEndpoints: 'blackhole' });
    const r = await startLoad({ url: p.url, rate: 20, durationMs: 100, timeoutMs: 300 }).done;
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records.every((x) => x.error === 'timeout')).toBe(true);
    // A connection held open is destroyed when the proxy closes, never left behind.
    const closed = new Promise<void>((resolve) => {
      const s = connect({ host: p.host, port: p.port });
      s.on('connect', () => {
        s.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
        setTimeout(() => void p.close(), 100);
      });
      s.on('data', () => expect.fail('a blackholed connection got an answer'));
      s.on('error', () => {});
      s.on('close', () => resolve());
    });
    await closed;
  });
});
