import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, parseDurationMs } from './durations.js';

describe('parseDurationMs: one duration grammar for every flag and lab file', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['2', 2000],
    [' 3s ', 3000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDurationMs(text, '--settle')).toBe(ms);
  });

  it('refuses text that is not a duration, naming the flag (bad-duration, exit 2)', () => {
    expect(() => parseDurationMs('3x', '--warmup')).toThrow(
      expect.objectContaining({ code: 'bad-duration', exitCode: 2, message: '--warmup: "3x" is not a duration (use e.g. 500ms, 1.5s, 5m)' }),
    );
  });

  it('accepts the longest delay a Node.js timer holds', () => {
    expect(parseDurationMs(`${MAX_TIMER_MS}ms`, '--timeout')).toBe(2_147_483_647);
  });

  it.each(['43200m', '2592000s', '2592000', `${MAX_TIMER_MS + 1}ms`])(
    'refuses %s (30 days, or just past the timer limit) instead of letting the timer fire at once',
    (text) => {
      expect(() => parseDurationMs(text, '--timeout')).toThrow(
        expect.objectContaining({
          code: 'bad-duration',
          message: expect.stringMatching(/^--timeout \S+ is longer than a timer can wait \(at most 2147483647 ms, about 24\.8 days\)/),
        }),
      );
    },
  );
});
