/**
 * The drain cases every real proxy is run through (docs/graceful.md, "Behind real proxies"):
 * removal on time, removal later than drainDelayMs with the fixed and the adaptive drain, and an
 * app without any handling, which must show drops or the harness proves nothing. Pod A is the
 * fixture server, pod B answers at once.
 */
import { describe, expect, it } from 'vitest';
import { drainThroughProxy, startFrontProxy, type DrainRunResult, type ProxyKind } from '../../bench/support/proxy-drain.js';
import { startBackendB, startServer } from './harness.js';

export const DRAIN_DELAY_MS = 600;
const TIMEOUT_MS = 4_000;
const QUIET_PERIOD_MS = 300;
export const CONNECTIONS = 16;
/** Mostly quick requests, and some slow enough to be in flight when the drain starts. */
const MIX = [
  [0.85, 2],
  [0.12, 50],
  [0.03, 400],
] as const;

export interface ProxyCase {
  name: string;
  removeAfterMs: number;
  options?: Record<string, unknown>;
  env?: Record<string, string>;
}

export const CASES = {
  onTime: { name: 'removal on time, fixed drain', removeAfterMs: 200, options: { drainDelayMs: DRAIN_DELAY_MS } },
  lateAdaptive: {
    name: 'late removal, adaptive drain',
    removeAfterMs: 1_000,
    options: { drain: 'adaptive', drainDelayMs: DRAIN_DELAY_MS, quietPeriodMs: QUIET_PERIOD_MS },
  },
  lateFixed: { name: 'late removal, fixed drain', removeAfterMs: 1_000, options: { drainDelayMs: DRAIN_DELAY_MS } },
  none: { name: 'no handling', removeAfterMs: 200, env: { NO_GRACEFUL: '1' } },
} satisfies Record<string, ProxyCase>;

export async function runProxyCase(kind: ProxyKind, c: ProxyCase, seed = 1): Promise<DrainRunResult> {
  const a = await startServer({ framework: 'http', options: { timeoutMs: TIMEOUT_MS, ...c.options }, env: c.env ?? {} });
  const b = await startBackendB(false);
  const proxy = await startFrontProxy(kind, { name: 'A', port: a.port }, { name: 'B', port: b.port });
  try {
    const result = await drainThroughProxy({
      proxy,
      signalA: () => a.signal('SIGTERM'),
      aExited: a.exited,
      removeAfterMs: c.removeAfterMs,
      drainDelayMs: c.env?.NO_GRACEFUL ? 0 : DRAIN_DELAY_MS,
      ratePerSecond: 150,
      connections: CONNECTIONS,
      warmupMs: 300,
      tailMs: 300,
      maxRunMs: 7_000,
      mix: MIX,
      seed,
    });
    console.info(`${kind}, ${c.name}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    a.kill();
    await proxy.close();
    await b.close();
  }
}

/** Zero drops on the proxy→pod hop; whatever the client lost is the proxy's own, and bounded. */
export function expectNoHopDrops(r: DrainRunResult): void {
  expect(r.hopFailures, JSON.stringify(r)).toBe(0);
  // The proxy's own loss is socket-level (never an HTTP error it generated for a pod failure),
  // and at most one per pooled client connection.
  const proxyErrors = Object.entries(r.clientFailures).filter(([kind]) => /^\d+$/.test(kind));
  expect(proxyErrors, JSON.stringify(r)).toEqual([]);
  expect(r.appErrors).toBe(0);
  expect(r.proxyOwnLoss).toBeLessThanOrEqual(CONNECTIONS);
  expect(r.exitCode).toBe(0);
  expect(r.fromA).toBeGreaterThan(0);
  expect(r.fromB).toBeGreaterThan(0);
}

export interface ProxyTraits {
  /** The status the proxy answers when the pod refuses its connection (nginx 502, HAProxy 503). */
  refusedStatus: string;
  /** The proxy changes endpoints without a reload, so the client must see exactly what the hop sees. */
  noOwnLoss: boolean;
}

/** The four cases, for one proxy; the caller skips them when the proxy is not installed. */
export function proxyDrainSuite(kind: ProxyKind, traits: ProxyTraits): void {
  describe(`behind real ${kind === 'nginx' ? 'nginx' : 'HAProxy'}`, () => {
    it('removal on time: no drops on the hop, and the pod exits right after its drain delay and last response', async () => {
      const r = await runProxyCase(kind, CASES.onTime);
      expectNoHopDrops(r);
      if (traits.noOwnLoss) expect(r.clientFailed).toBe(0);
      // idleGraceMs (100 ms) for the proxy's idle pooled connections, plus scheduling; the deadline is 4 s.
      expect(r.overshootMs).toBeLessThan(400);
    });

    it('removal later than drainDelayMs: the adaptive drain keeps serving until traffic stops, no drops on the hop', async () => {
      const r = await runProxyCase(kind, CASES.lateAdaptive);
      expectNoHopDrops(r);
      if (traits.noOwnLoss) expect(r.clientFailed).toBe(0);
    });

    it('removal later than drainDelayMs: the fixed drain drops what arrives after it stops listening (the documented limit)', async () => {
      const r = await runProxyCase(kind, CASES.lateFixed);
      expect(r.hopFailures).toBeGreaterThan(0);
      expect(r.clientFailures[traits.refusedStatus]).toBeGreaterThan(0);
      expect(r.exitCode).toBe(0);
    });

    it('an app without handling drops requests, so this harness can fail', async () => {
      const r = await runProxyCase(kind, CASES.none);
      expect(r.hopFailures).toBeGreaterThan(0);
      expect(r.clientFailed).toBeGreaterThan(0);
    });
  });
}
