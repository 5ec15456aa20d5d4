/**
 * Zero dropped requests on a node:http server with real keep-alive clients: undici and node:http
 * agents, tight loops and with think time, SIGTERM mid-stream.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { afterEach, describe, it } from 'vitest';
import { expectZeroDrop } from './expect-zero-drop.js';
import { reapAll } from './harness.js';
import { drainScenario, type ScenarioOptions } from './scenario.js';

afterEach(reapAll);

describe('graceful drains a node:http server without dropping a request', () => {
  const clients: [ScenarioOptions['client'], [number, number], string][] = [
    ['node', [0, 0], 'node:http agent, tight loop'],
    ['node', [5, 40], 'node:http agent, think time'],
    ['undici', [0, 0], 'undici, tight loop'],
    ['undici', [5, 40], 'undici, think time'],
  ];
  for (const [client, thinkMs, label] of clients) {
    it(label, async () => {
      expectZeroDrop(await drainScenario({ framework: 'http', secure: false, client, thinkMs }));
    });
  }

  it('undici, tight loop, adaptive drain', async () => {
    expectZeroDrop(
      await drainScenario({ framework: 'http', secure: false, client: 'undici', thinkMs: [0, 0], options: { drain: 'adaptive', quietPeriodMs: 200 } }),
    );
  });
});
