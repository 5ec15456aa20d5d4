/**
 * Waits between attempts to re-open a failing watch: exponential from 500 ms, capped at 8 s
 * (client-go's reflector caps at 30 s, too long for a run that lasts minutes), each wait jittered
 * into [d/2, d] so many clients do not come back in step after an apiserver restart. A server's
 * Retry-After (429 while its watch cache initialises, API Priority and Fairness) is honoured
 * instead, up to 30 s.
 */
export class WatchBackoff {
  private failures = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly capMs = 8_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt after one more failure. */
  next(retryAfterSeconds?: number): number {
    this.failures++;
    if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) return Math.min(retryAfterSeconds, 30) * 1000;
    const d = Math.min(this.capMs, this.baseMs * 2 ** (this.failures - 1));
    return Math.round(d / 2 + (this.random() * d) / 2);
  }

  reset(): void {
    this.failures = 0;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
