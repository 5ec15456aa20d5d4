/**
 * Zero dropped requests on every other supported stack: node:https, node:http2 with allowHTTP1
 * (HTTP/1.1 clients), express, koa, fastify and hono's node server.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { afterEach, describe, it } from 'vitest';
import { expectZeroDrop } from './expect-zero-drop.js';
import { reapAll } from './harness.js';
import { drainScenario } from './scenario.js';

afterEach(reapAll);

const frameworks: [string, boolean][] = [
  ['https', true],
  ['http2-secure', true],
  ['express', false],
  ['koa', false],
  ['fastify', false],
  ['hono', false],
];

describe('graceful drains every supported stack without dropping a request', () => {
  for (const [framework, secure] of frameworks) {
    it(`${framework}, node:http agent and undici in turn`, async () => {
      expectZeroDrop(await drainScenario({ framework, secure, client: 'node', thinkMs: [0, 0] }));
      expectZeroDrop(await drainScenario({ framework, secure, client: 'undici', thinkMs: [0, 10] }));
    });
  }
});
