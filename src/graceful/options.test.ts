import { describe, expect, it } from 'vitest';
import { ZerodropError } from '../errors.js';
import { resolveOptions, type GracefulOptions } from './options.js';

function errorOf(options: GracefulOptions): ZerodropError {
  try {
    resolveOptions({ env: {}, ...options });
  } catch (error) {
    if (error instanceof ZerodropError) return error;
    throw error;
  }
  throw new Error('expected resolveOptions to throw');
}

describe('resolveOptions rejects bad configuration at attach time, naming the option', () => {
  it.each<[string, GracefulOptions, RegExp]>([
    ['negative drain delay', { drainDelayMs: -1 }, /drainDelayMs must be a non-negative number of milliseconds, got -1/],
    ['non-numeric drain delay', { drainDelayMs: '5s' as unknown as number }, /drainDelayMs .* got "5s"/],
    ['NaN deadline', { timeoutMs: Number.NaN }, /timeoutMs must be a non-negative number/],
    [
      'deadline shorter than the drain delay',
      { drainDelayMs: 5_000, timeoutMs: 4_000 },
      /timeoutMs \(4000 ms, from timeoutMs\) must be longer than drainDelayMs \(5000 ms\)/,
    ],
    ['deadline equal to the drain delay', { drainDelayMs: 1_000, timeoutMs: 1_000 }, /timeoutMs .* must be longer than drainDelayMs/],
    ['infinite idle grace', { idleGraceMs: Infinity }, /idleGraceMs must be/],
    ['signals not an array', { signals: 'SIGTERM' as unknown as NodeJS.Signals[] }, /signals must be an array of signal names/],
    ['uncatchable signal', { signals: ['SIGKILL'] }, /signals cannot include SIGKILL/],
    ['relative probe path', { probes: { readinessPath: 'readyz' } }, /probes.readinessPath must be a path starting with "\/"/],
    ['same probe paths', { probes: { readinessPath: '/health', livenessPath: '/health' } }, /probes.livenessPath must differ/],
    ['probe port out of range', { probes: { port: 70_000 } }, /probes.port must be an integer port/],
    ['hook not a function', { onUpgradedSocket: 'end' as unknown as GracefulOptions['onUpgradedSocket'] }, /onUpgradedSocket must be a function/],
    ['forced exit code 0', { forcedExitCode: 0 }, /forcedExitCode must be an integer from 1 to 255/],
    ['ready not boolean', { ready: 'yes' as unknown as boolean }, /ready must be true or false/],
    ['unknown drain mode', { drain: 'smart' as unknown as 'fixed' }, /drain must be "fixed" or "adaptive", got "smart"/],
    ['negative quiet period', { quietPeriodMs: -5 }, /quietPeriodMs must be a non-negative number/],
    [
      'adaptive maximum below the drain delay',
      { drainDelayMs: 2_000, maxDrainDelayMs: 1_000, timeoutMs: 9_000 },
      /maxDrainDelayMs \(1000 ms\) must lie between drainDelayMs \(2000 ms\) and timeoutMs \(9000 ms, from timeoutMs\)/,
    ],
    ['adaptive maximum at the deadline', { drainDelayMs: 1_000, maxDrainDelayMs: 9_000, timeoutMs: 9_000 }, /maxDrainDelayMs \(9000 ms\) must lie between/],
    ['logger not an object', { logger: 'pino' as unknown as false }, /logger must be an object with info, warn and error methods .* got "pino"/],
  ])('%s', (_name, options, message) => {
    const error = errorOf(options);
    expect(error.code).toBe('graceful-invalid-option');
    expect(error.legacyCode).toBe('GRACEFUL_INVALID_OPTION');
    expect(error.message).toMatch(/^zerodrop\/graceful: /);
    expect(error.message).toMatch(message);
  });

  it('names a bad drain mode in the environment', () => {
    expect(() => resolveOptions({ env: { ZERODROP_DRAIN: 'auto' } })).toThrow(/environment variable ZERODROP_DRAIN must be "fixed" or "adaptive", got "auto"/);
  });

  it('names a bad environment variable', () => {
    expect(() => resolveOptions({ env: { ZERODROP_DRAIN_DELAY_MS: 'soon' } })).toThrow(
      /environment variable ZERODROP_DRAIN_DELAY_MS must be a non-negative number, got "soon"/,
    );
  });

  it('explains a deadline derived from a grace period too short for the drain delay', () => {
    expect(() => resolveOptions({ env: { ZERODROP_GRACE_PERIOD_SECONDS: '5' } })).toThrow(
      /timeoutMs \(2500 ms, from ZERODROP_GRACE_PERIOD_SECONDS=5\) must be longer than drainDelayMs \(5000 ms\)/,
    );
  });
});

describe('resolveOptions defaults', () => {
  it('suit Kubernetes defaults: 5 s drain delay, deadline 3 s before a 30 s grace period ends', () => {
    const r = resolveOptions({ env: {} });
    expect(r).toMatchObject({
      drainDelayMs: 5_000,
      timeoutMs: 27_000,
      idleGraceMs: 100,
      signals: ['SIGTERM', 'SIGINT'],
      ready: false,
      exit: true,
      forcedExitCode: 1,
    });
    expect(r.probes).toEqual({ readinessPath: '/readyz', livenessPath: '/livez', port: undefined, host: '0.0.0.0', checkTimeoutMs: 1_000 });
  });

  it('read the manifest environment: grace period and preStop derive the deadline', () => {
    const r = resolveOptions({ env: { ZERODROP_GRACE_PERIOD_SECONDS: '60', ZERODROP_PRESTOP_SECONDS: '10', ZERODROP_DRAIN_DELAY_MS: '0' } });
    expect(r.drainDelayMs).toBe(0);
    expect(r.timeoutMs).toBe(47_000);
    expect(r.timeoutSource).toBe('ZERODROP_GRACE_PERIOD_SECONDS=60 and ZERODROP_PRESTOP_SECONDS=10');
  });

  it('let ZERODROP_TIMEOUT_MS win over the grace period, and options win over the environment', () => {
    expect(resolveOptions({ env: { ZERODROP_TIMEOUT_MS: '9000', ZERODROP_GRACE_PERIOD_SECONDS: '60' } }).timeoutMs).toBe(9_000);
    expect(resolveOptions({ timeoutMs: 8_000, env: { ZERODROP_TIMEOUT_MS: '9000' } }).timeoutMs).toBe(8_000);
  });

  it('drain fixed by default; adaptive from the option or ZERODROP_DRAIN, with a 1 s quiet period and a maximum halfway to the deadline', () => {
    expect(resolveOptions({ env: {} })).toMatchObject({ drain: 'fixed', quietPeriodMs: 1_000, maxDrainDelayMs: 16_000 });
    expect(resolveOptions({ env: { ZERODROP_DRAIN: 'adaptive', ZERODROP_QUIET_PERIOD_MS: '500' } })).toMatchObject({ drain: 'adaptive', quietPeriodMs: 500 });
    expect(resolveOptions({ drain: 'fixed', env: { ZERODROP_DRAIN: 'adaptive' } }).drain).toBe('fixed');
    expect(resolveOptions({ env: { ZERODROP_MAX_DRAIN_DELAY_MS: '7000' } }).maxDrainDelayMs).toBe(7_000);
    expect(resolveOptions({ drainDelayMs: 1_000, timeoutMs: 3_500, env: {} }).maxDrainDelayMs).toBe(2_250);
  });

  it('clamp durations above the 32-bit timer limit and say so, instead of letting the timer fire at once', () => {
    const r = resolveOptions({ drainDelayMs: 100, timeoutMs: 3_000_000_000, env: {} });
    expect(r.timeoutMs).toBe(2_147_483_647);
    expect(r.warnings).toEqual(['timeoutMs 3000000000 ms is above the longest timer Node supports (2147483647 ms); using 2147483647 ms']);
    const fromGrace = resolveOptions({ env: { ZERODROP_GRACE_PERIOD_SECONDS: '5000000' } });
    expect(fromGrace.timeoutMs).toBe(2_147_483_647);
    expect(fromGrace.warnings[0]).toMatch(/^timeoutMs \(from ZERODROP_GRACE_PERIOD_SECONDS=5000000\) 4999997000 ms is above/);
    expect(resolveOptions({ env: {} }).warnings).toEqual([]);
  });

  it('accept probes: false and drop duplicate signals', () => {
    const r = resolveOptions({ env: {}, probes: false, signals: ['SIGQUIT', 'SIGQUIT'] });
    expect(r.probes).toBe(false);
    expect(r.signals).toEqual(['SIGQUIT']);
  });
});
