import { parseDurationMs } from '../../durations.js';
import { usageError } from '../../errors.js';

/** A delay in milliseconds, fixed or drawn uniformly from a range, per change. */
export interface DelayRange {
  minMs: number;
  maxMs: number;
}

/**
 * Parses `1s`, `250ms`, `0.5s..3s`, `0` (seconds when no unit). One grammar for `--propagation`,
 * `--kubelet-delay` and lab files.
 */
export function parseDelayRange(text: string, flag = '--propagation'): DelayRange {
  const parts = String(text).trim().split('..');
  if (parts.length > 2 || parts.some((p) => p.trim() === ''))
    throw usageError('bad-delay-range', `${flag}: expected a duration like 1s or a range like 0.5s..3s, got "${text}"`);
  const values = parts.map((p) => parseDurationMs(p, flag));
  const minMs = values[0]!;
  const maxMs = values[1] ?? minMs;
  if (maxMs < minMs) throw usageError('bad-delay-range', `${flag}: range ${text} ends before it starts`);
  return { minMs, maxMs };
}

export function formatDelayRange(r: DelayRange): string {
  const f = (v: number): string => (v % 1000 === 0 ? `${v / 1000}s` : `${v / 1000}s`);
  return r.minMs === r.maxMs ? f(r.minMs) : `${f(r.minMs)}..${f(r.maxMs)}`;
}

/** mulberry32: a tiny seeded PRNG, so a run's random delays can be replayed with --seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleDelay(r: DelayRange, random: () => number): number {
  return r.minMs + (r.maxMs - r.minMs) * random();
}
