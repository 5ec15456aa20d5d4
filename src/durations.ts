import { usageError } from './errors.js';

/**
 * Parses a duration flag or lab-file value: `250ms`, `1.5s`, `5m`, or a bare number of seconds.
 * One grammar for every CLI (`zerodrop lab`, `zerodrop rollout`) so the same text means the same
 * time everywhere.
 */
export function parseDurationMs(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) throw usageError('bad-duration', `${flag}: "${text}" is not a duration (use e.g. 500ms, 1.5s, 5m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000;
}
