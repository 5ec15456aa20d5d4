import { describe, expect, it } from 'vitest';
import { keepAliveTimeoutWarning } from './keep-alive-check.js';

// docs/reference/node-http.md#keep-alive-race: the app must idle out after the proxy (ALB / ingress-nginx: 60 s).
describe('keepAliveTimeoutWarning', () => {
  it.each([
    [5_000, true], // Node 18–25 default (docs/reference/node-http.md#server-timeouts)
    [60_000, true], // equal still races
    [65_000, false],
    [72_000, false], // fastify default
    [0, false], // no idle timeout at all
    [undefined, false], // HTTP/2 servers have none
  ])('keepAliveTimeout %s → warns: %s', (value, warns) => {
    expect(keepAliveTimeoutWarning(value) !== undefined).toBe(warns);
  });
});
