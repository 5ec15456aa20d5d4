import { usageError } from './errors.js';

/**
 * The longest delay a Node.js timer holds: a larger one fires after 1 ms (with a
 * TimeoutOverflowWarning), so a "30 day" wait would end at once. Every duration is held to it.
 * https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses a duration flag or lab-file value: `250ms`, `1.5s`, `5m`, or a bare number of seconds.
 * One grammar for every CLI (`zerodrop lab`, `zerodrop rollout`) so the same text means the same
 * time everywhere; a value a timer cannot hold is refused, never wrapped.
 */
export function parseDurationMs(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) throw usageError('bad-duration', `${flag}: "${text}" is not a duration (use e.g. 500ms, 1.5s, 5m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000;
  checkTimerMs(ms, `${flag} ${text.trim()}`);
  return ms;
}

/** Refuses a time span (one flag, or a sum of them) that a Node.js timer cannot hold. */
export function checkTimerMs(ms: number, what: string): void {
  if (ms > MAX_TIMER_MS)
    throw usageError('bad-duration', `${what} is longer than a timer can wait (at most ${MAX_TIMER_MS} ms, about 24.8 days); choose a shorter duration`);
}
