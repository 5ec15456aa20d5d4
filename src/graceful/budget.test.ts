import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS, hardDeadlineMs, stopWindowMs } from './budget.js';

// Worked examples of docs/reference/pod-termination.md#grace-arithmetic.
describe('stopWindowMs: time from the stop signal to SIGKILL', () => {
  it.each([
    { gracePeriodSeconds: 30, preStopSeconds: 0, expected: 30_000 },
    { gracePeriodSeconds: 30, preStopSeconds: 10, expected: 20_000 },
    { gracePeriodSeconds: 30, preStopSeconds: 29.5, expected: 2_000 }, // floor(29.5)=29 → 1 s → raised to 2 s
    { gracePeriodSeconds: 30, preStopSeconds: 45, expected: 2_000 }, // hung hook abandoned at G, 2 s floor
    { gracePeriodSeconds: 1, preStopSeconds: 0, expected: 2_000 },
  ])('G=$gracePeriodSeconds s, preStop=$preStopSeconds s → $expected ms', ({ gracePeriodSeconds, preStopSeconds, expected }) => {
    expect(stopWindowMs({ gracePeriodSeconds, preStopSeconds })).toBe(expected);
  });
});

describe('hardDeadlineMs: our deadline lands before the kubelet SIGKILL', () => {
  it('keeps a 3 s margin for the default 30 s grace period', () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(27_000);
  });
  it('halves a small window instead of going negative', () => {
    expect(hardDeadlineMs({ gracePeriodSeconds: 2, preStopSeconds: 0 })).toBe(1_000);
  });
  it('subtracts the preStop time', () => {
    expect(hardDeadlineMs({ gracePeriodSeconds: 60, preStopSeconds: 15 })).toBe(42_000);
  });
});
