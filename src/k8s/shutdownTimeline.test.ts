import { describe, expect, it } from 'vitest';
import { effectiveGraceSeconds, graceSecondsNeeded, shutdownTimeline } from './shutdownTimeline.js';

// docs/reference/pod-termination.md#grace-arithmetic.
describe('shutdownTimeline (kubelet killContainer arithmetic)', () => {
  it.each([
    ['no preStop', 0, 0, 30],
    ['sleep 10', 10, 10, 30],
    ['sleep 29.5: elapsed truncates to 29, 1 s left is raised to 2 s', 29.5, 29.5, 31.5],
    ['a preStop hanging 45 s is abandoned at 30 s, then 2 s', 45, 30, 32],
  ] as const)('G=30, %s', (_name, preStop, signalAt, killAt) => {
    const t = shutdownTimeline(30, preStop);
    expect(t.stopSignalAt).toBe(signalAt);
    expect(t.killAt).toBe(killAt);
  });

  it('flags an abandoned preStop and the 2 s floor', () => {
    expect(shutdownTimeline(30, 45)).toMatchObject({ preStopAbandoned: true, floorApplied: true, appWindow: 2 });
    expect(shutdownTimeline(30, 10)).toMatchObject({ preStopAbandoned: false, floorApplied: false, appWindow: 20 });
  });

  it('defaults the grace period to 30 s and never below 1 s (docs/reference/pod-termination.md#grace-period, docs/reference/pod-termination.md#effective-grace-period)', () => {
    expect(effectiveGraceSeconds(undefined)).toBe(30);
    expect(effectiveGraceSeconds(-5)).toBe(1);
    expect(effectiveGraceSeconds(0)).toBe(1);
  });
});

describe('graceSecondsNeeded (docs/reference/pod-termination.md#per-container-kill)', () => {
  it.each([
    [0, 5, 5],
    [5, 5, 10],
    [20, 5, 25],
    [29.5, 5, 34],
  ] as const)('preStop %s s and drain %s s need a grace period of %s s', (preStop, drain, grace) => {
    expect(graceSecondsNeeded(preStop, drain)).toBe(grace);
    // The result really leaves the drain window, and one second less does not.
    expect(shutdownTimeline(grace, preStop).appWindow).toBeGreaterThanOrEqual(drain);
    expect(shutdownTimeline(grace, preStop).preStopAbandoned).toBe(false);
    if (grace - 1 > 2) expect(shutdownTimeline(grace - 1, preStop).appWindow < drain || shutdownTimeline(grace - 1, preStop).preStopAbandoned).toBe(true);
  });
});
