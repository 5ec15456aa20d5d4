/** Nearest-rank percentile of an ascending array (the value a fraction `p` of samples do not exceed). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty sample');
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Rounds to 0.01 ms: sub-microsecond digits are clock noise and only bloat the embedded JSON. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
