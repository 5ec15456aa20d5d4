/**
 * What the adaptive drain watches after the stop signal. A fixed drain delay is a guess about how
 * long endpoint removal takes to reach every proxy in front of the pod (kubernetes-semantics
 * docs/reference/traffic-routing.md#propagation-latency); the app can instead observe when traffic has stopped arriving. Requests answered by the
 * probes do not count, nor do connections that close without a request (a TCP health check); a
 * connection that is open but has carried nothing yet does, since its request may be on the way.
 */

export class TrafficWatch {
  /** Set at the stop signal in adaptive mode; the request hot path checks it before counting. */
  watching = false;
  private lastRequestAt = 0;
  private requests = 0;
  private connections = 0;

  start(): void {
    this.watching = true;
    this.lastRequestAt = performance.now();
  }

  request(): void {
    this.lastRequestAt = performance.now();
    this.requests++;
  }

  connection(): void {
    this.connections++;
  }

  /** `performance.now()` of the newest request (the start of watching before any). */
  get lastRequest(): number {
    return this.lastRequestAt;
  }

  /** Requests and connections since the previous call, for the log line. */
  takeCounts(): { requests: number; connections: number } {
    const counts = { requests: this.requests, connections: this.connections };
    this.requests = 0;
    this.connections = 0;
    return counts;
  }
}

export interface QuietInput {
  /** Milliseconds since the stop signal. */
  sinceSignalMs: number;
  /** Milliseconds since the last sign of traffic. */
  quietForMs: number;
  drainDelayMs: number;
  quietPeriodMs: number;
  maxDrainDelayMs: number;
}

export type QuietDecision = { stop: 'quiet' | 'max' } | { waitMs: number };

/** When the adaptive drain closes the listener: quiet long enough, never before the delay, never after the maximum. */
export function decideQuiet(input: QuietInput): QuietDecision {
  const { sinceSignalMs, quietForMs, drainDelayMs, quietPeriodMs, maxDrainDelayMs } = input;
  if (sinceSignalMs >= drainDelayMs && quietForMs >= quietPeriodMs) return { stop: 'quiet' };
  if (sinceSignalMs >= maxDrainDelayMs) return { stop: 'max' };
  const untilQuiet = Math.max(quietPeriodMs - quietForMs, drainDelayMs - sinceSignalMs, 0);
  return { waitMs: Math.max(1, Math.min(untilQuiet, maxDrainDelayMs - sinceSignalMs)) };
}
