/**
 * zerodrop/graceful behind real nginx configured as ingress-nginx runs it (an upstream keep-alive
 * pool, `max_fails=0`, `proxy_next_upstream off`), with pod A taken out by a configuration reload.
 * A reload retires nginx's old worker, which closes the idle client connections it holds: a
 * client reusing one just then fails. That is nginx's own loss towards its clients; it is
 * measured and reported apart from the proxy→pod hop, which must stay clean.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nginxAvailable } from '../../src/lab/proxy/nginx-ingress.js';
import { reapAll } from './harness.js';
import { CASES, expectNoHopDrops, runProxyCase } from './proxy-cases.js';

afterEach(reapAll);

const available = nginxAvailable();
if (!available) console.warn('SKIPPING nginx drain tests: /usr/sbin/nginx is missing (scripts/ensure-system-deps.mjs installs it as root)');

describe.skipIf(!available)('behind real nginx', () => {
  it('removal on time: no drops on the hop, and the pod exits right after its last response', async () => {
    const r = await runProxyCase('nginx', CASES.onTime);
    expectNoHopDrops(r);
    expect(r.exitAfterLastResponseMs).toBeLessThan(400);
  });

  it('removal later than drainDelayMs: the adaptive drain keeps serving until traffic stops, no drops on the hop', async () => {
    expectNoHopDrops(await runProxyCase('nginx', CASES.lateAdaptive));
  });

  it('removal later than drainDelayMs: the fixed drain drops what arrives after it stops listening (the documented limit)', async () => {
    const r = await runProxyCase('nginx', CASES.lateFixed);
    expect(r.hopFailures).toBeGreaterThan(0);
    expect(r.clientFailures['502']).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
  });

  it('an app without handling drops requests, so this harness can fail', async () => {
    const r = await runProxyCase('nginx', CASES.none);
    expect(r.hopFailures).toBeGreaterThan(0);
    expect(r.clientFailed).toBeGreaterThan(0);
  });
});
