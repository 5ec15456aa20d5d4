import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProbe } from '../../src/k8s/probes.js';
import { Prober, probeOnce, runHook, type ContainerEndpoint } from '../../src/lab/pods/probe.js';

// docs/reference/probes.md#fields-and-defaults: HTTP succeeds on 200–399 (kube-probe User-Agent, custom headers),
// TCP when the port accepts, exec on exit 0; a timeout is a failure. Against real servers.

let server: http.Server;
let port = 0;
let status = 200;
let delayMs = 0;
const seenHeaders: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHeaders.push(req.headers);
    setTimeout(() => {
      res.statusCode = status;
      res.end();
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const target = (): ContainerEndpoint => ({
  host: '127.0.0.1',
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  resolvePort: (p) => (p === 8080 || p === 'http' ? port : p === 9 ? 9 : undefined),
});

describe('probe attempts (docs/reference/probes.md#fields-and-defaults)', () => {
  it.each([
    [200, true],
    [302, true],
    [399, true],
    [400, false],
    [500, false],
  ])('httpGet answered %i succeeds: %s', async (code, ok) => {
    status = code;
    const r = await probeOnce({ httpGet: { path: '/', port: 8080 } }, target(), 1000);
    expect(r.ok).toBe(ok);
    status = 200;
  });

  it('httpGet sends the kube-probe User-Agent and the probe headers, and resolves named ports', async () => {
    await probeOnce({ httpGet: { path: '/ready', port: 'http', httpHeaders: [{ name: 'x-k8s-sandbox', value: 'readiness' }] } }, target(), 1000);
    const h = seenHeaders.at(-1)!;
    expect(h['user-agent']).toMatch(/^kube-probe\//);
    expect(h['x-k8s-sandbox']).toBe('readiness');
  });

  it('a response slower than timeoutSeconds is a failure', async () => {
    delayMs = 400;
    const r = await probeOnce({ httpGet: { path: '/', port: 8080 } }, target(), 150);
    delayMs = 0;
    expect(r).toMatchObject({ ok: false });
    expect(r.detail).toContain('timeout');
  });

  it('tcpSocket succeeds on an open port and fails on a closed one', async () => {
    expect((await probeOnce({ tcpSocket: { port: 8080 } }, target(), 500)).ok).toBe(true);
    expect((await probeOnce({ tcpSocket: { port: 9 } }, target(), 500)).ok).toBe(false);
  });

  it('exec succeeds on exit 0, fails otherwise, and a hung command times out', async () => {
    expect((await probeOnce({ exec: { command: ['true'] } }, target(), 1000)).ok).toBe(true);
    expect((await probeOnce({ exec: { command: ['false'] } }, target(), 1000)).ok).toBe(false);
    const hung = await probeOnce({ exec: { command: ['sleep', '5'] } }, target(), 200);
    expect(hung).toMatchObject({ ok: false });
  });

  it('a preStop sleep hook takes its seconds; tcpSocket is not a lifecycle handler (docs/reference/pod-termination.md#kubelet-sequence, docs/reference/feature-versions.md#sleep-action)', async () => {
    const t = performance.now();
    expect((await runHook({ sleep: { seconds: 0.3 } }, target())).ok).toBe(true);
    expect(performance.now() - t).toBeGreaterThan(280);
    expect((await runHook({ tcpSocket: { port: 8080 } }, target())).ok).toBe(false);
  });
});

describe('Prober thresholds (docs/reference/probes.md#fields-and-defaults, pkg/kubelet/prober/worker.go)', () => {
  it('readiness turns ready after successThreshold successes and unready after failureThreshold failures', async () => {
    const changes: Array<[boolean, number]> = [];
    const t0 = performance.now();
    const prober = new Prober(
      'readiness',
      resolveProbe({ httpGet: { path: '/', port: 8080 }, periodSeconds: 0.1 as number, successThreshold: 2, failureThreshold: 2 }),
      target(),
      {
        onReady: (ready) => changes.push([ready, performance.now() - t0]),
      },
    );
    prober.start();
    await new Promise((r) => setTimeout(r, 400));
    status = 500;
    await new Promise((r) => setTimeout(r, 450));
    prober.stop();
    status = 200;
    expect(changes.map((c) => c[0])).toEqual([true, false]);
    // The second success comes one period after the first (immediate) attempt.
    expect(changes[0]![1]).toBeGreaterThan(80);
  });

  it('liveness reports failure after failureThreshold consecutive failures and stops', async () => {
    let failures = 0;
    const prober = new Prober('liveness', resolveProbe({ tcpSocket: { port: 9 }, periodSeconds: 0.05 as number, failureThreshold: 3 }), target(), {
      onFailure: () => failures++,
    });
    prober.start();
    await new Promise((r) => setTimeout(r, 400));
    prober.stop();
    expect(failures).toBe(1);
  });
});
