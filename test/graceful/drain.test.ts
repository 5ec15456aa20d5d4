/**
 * Zero dropped requests for every supported server stack, with real keep-alive clients (undici
 * and node:http agents, tight loops and with think time) and SIGTERM mid-stream.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { describe, expect, it } from 'vitest';
import { drainScenario, expectedStreamBody, SLOW_MS, type ScenarioOptions, type ScenarioResult } from './scenario.js';

function expectZeroDrop(r: ScenarioResult, drainDelayMs = 400): void {
  expect(r.failed, `failed requests: ${JSON.stringify(r.failed.slice(0, 5))}\n${r.stderr}`).toEqual([]);
  expect(r.exit.code, r.stderr).toBe(0);
  // The slow request and the streaming response were in flight at drain start and finished.
  expect(r.slow.body).toBe(`ok:${SLOW_MS}`);
  expect(r.stream.body).toBe(expectedStreamBody);
  // Pinned keep-alive sockets were served after the drain began and told to go away.
  expect(r.closeHeadersFromA).toBeGreaterThan(0);
  expect(r.fromB).toBeGreaterThan(0);
  const phases = r.phases.map((p) => p.phase);
  expect(phases).toEqual(['ready', 'propagating', 'draining', 'cleaning-up', 'stopped']);
  const draining = r.phases.find((p) => p.phase === 'draining')!;
  expect(draining.sinceSignalMs).toBeGreaterThanOrEqual(drainDelayMs);
  // Exit follows the last in-flight response closely, not the 8 s deadline.
  const lastInFlight = Math.max(r.slow.at, r.stream.at);
  expect(r.exit.at - lastInFlight).toBeLessThan(400);
  expect(r.exit.at - r.signalAt).toBeLessThan(2_500);
}

const frameworks: [string, boolean][] = [
  ['https', true],
  ['http2-secure', true],
  ['express', false],
  ['koa', false],
  ['fastify', false],
  ['hono', false],
];

describe('graceful drains without dropping a request', () => {
  const clients: [ScenarioOptions['client'], [number, number], string][] = [
    ['node', [0, 0], 'node:http agent, tight loop'],
    ['node', [5, 40], 'node:http agent, think time'],
    ['undici', [0, 0], 'undici, tight loop'],
    ['undici', [5, 40], 'undici, think time'],
  ];
  for (const [client, thinkMs, label] of clients) {
    it(`node:http server, ${label}`, async () => {
      expectZeroDrop(await drainScenario({ framework: 'http', secure: false, client, thinkMs }));
    });
  }
  for (const [framework, secure] of frameworks) {
    it(`${framework}, node:http agent and undici in turn`, async () => {
      expectZeroDrop(await drainScenario({ framework, secure, client: 'node', thinkMs: [0, 0] }));
      expectZeroDrop(await drainScenario({ framework, secure, client: 'undici', thinkMs: [0, 10] }));
    });
  }
});
