import { describe, expect, it } from 'vitest';
import { decideQuiet } from './traffic-watch.js';

const base = { drainDelayMs: 1_000, quietPeriodMs: 500, maxDrainDelayMs: 4_000 };

describe('decideQuiet: when the adaptive drain closes the listener', () => {
  it('never before drainDelayMs, even when nothing arrived since the signal', () => {
    expect(decideQuiet({ ...base, sinceSignalMs: 600, quietForMs: 600 })).toEqual({ waitMs: 400 });
  });

  it('once traffic has been quiet for quietPeriodMs after the delay', () => {
    expect(decideQuiet({ ...base, sinceSignalMs: 1_000, quietForMs: 500 })).toEqual({ stop: 'quiet' });
    expect(decideQuiet({ ...base, sinceSignalMs: 1_300, quietForMs: 200 })).toEqual({ waitMs: 300 });
  });

  it('at maxDrainDelayMs when traffic never stops, and never sleeps past it', () => {
    expect(decideQuiet({ ...base, sinceSignalMs: 4_000, quietForMs: 3 })).toEqual({ stop: 'max' });
    expect(decideQuiet({ ...base, sinceSignalMs: 3_900, quietForMs: 3 })).toEqual({ waitMs: 100 });
  });

  it('prefers quiet over the maximum when both hold', () => {
    expect(decideQuiet({ ...base, sinceSignalMs: 4_200, quietForMs: 900 })).toEqual({ stop: 'quiet' });
  });

  it('waits at least 1 ms, so a caller never spins', () => {
    expect(decideQuiet({ ...base, sinceSignalMs: 1_000, quietForMs: 499.9 })).toEqual({ waitMs: 1 });
  });
});
