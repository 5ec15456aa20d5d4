import { expect } from 'vitest';
import { SLOW_MS, expectedStreamBody, type ScenarioResult } from './scenario.js';

/** What "zero drop" means in every drain scenario. */
export function expectZeroDrop(r: ScenarioResult, drainDelayMs = 400): void {
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
