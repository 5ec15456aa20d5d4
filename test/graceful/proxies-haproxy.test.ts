/**
 * zerodrop/graceful behind real HAProxy (`http-reuse always`, `retries 0`, no health checks),
 * with pod A taken out through the runtime API on the stats socket. HAProxy changes its servers
 * without a reload, so the client must see exactly what the hop sees.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { haproxyAvailable } from '../../bench/support/haproxy.js';
import { reapAll } from './harness.js';
import { CASES, expectNoHopDrops, runProxyCase } from './proxy-cases.js';

afterEach(reapAll);

const available = haproxyAvailable();
if (!available) console.warn('SKIPPING HAProxy drain tests: /usr/sbin/haproxy is missing (scripts/ensure-system-deps.mjs installs it as root)');

describe.skipIf(!available)('behind real HAProxy', () => {
  it('removal on time: no drops anywhere, and the pod exits right after its last response', async () => {
    const r = await runProxyCase('haproxy', CASES.onTime);
    expectNoHopDrops(r);
    expect(r.clientFailed).toBe(0);
    expect(r.exitAfterLastResponseMs).toBeLessThan(400);
  });

  it('removal later than drainDelayMs: the adaptive drain keeps serving until traffic stops, no drops', async () => {
    const r = await runProxyCase('haproxy', CASES.lateAdaptive);
    expectNoHopDrops(r);
    expect(r.clientFailed).toBe(0);
  });

  it('removal later than drainDelayMs: the fixed drain drops what arrives after it stops listening (the documented limit)', async () => {
    const r = await runProxyCase('haproxy', CASES.lateFixed);
    expect(r.hopFailures).toBeGreaterThan(0);
    expect(r.clientFailures['503']).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
  });

  it('an app without handling drops requests, so this harness can fail', async () => {
    const r = await runProxyCase('haproxy', CASES.none);
    expect(r.hopFailures).toBeGreaterThan(0);
    expect(r.clientFailed).toBeGreaterThan(0);
  });
});
