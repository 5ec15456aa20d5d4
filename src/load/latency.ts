import * as hdr from 'hdr-histogram-js';

/** Latency and lag percentiles in milliseconds (µs resolution, 3 significant digits). */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/**
 * An HdrHistogram in microseconds. The per-request records stay the source of truth; histograms
 * are for cheap percentiles over windows (per second ticks, whole run) without sorting.
 */
export class MsHistogram {
  private readonly h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000, // one hour in µs; longer values are clamped
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(ms: number): void {
    const us = Math.max(1, Math.min(3_600_000_000, Math.round(ms * 1000)));
    this.h.recordValue(us);
  }

  get count(): number {
    return this.h.totalCount;
  }

  percentile(p: number): number {
    return this.h.totalCount === 0 ? 0 : this.h.getValueAtPercentile(p) / 1000;
  }

  summary(): LatencySummary {
    const n = this.h.totalCount;
    return {
      count: n,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: n === 0 ? 0 : this.h.maxValue / 1000,
      mean: n === 0 ? 0 : this.h.mean / 1000,
    };
  }

  reset(): void {
    this.h.reset();
  }
}

/** Summary of plain millisecond values (e.g. from records read back from an events file). */
export function summariseMs(values: Iterable<number>): LatencySummary {
  const h = new MsHistogram();
  for (const v of values) h.record(v);
  return h.summary();
}
