import type { ErrorClass } from '../events/schema.js';

/**
 * The run verdict, shared by lab and rollout so they judge alike: zero means zero. PASS needs
 * every proof; any failed request is a FAIL; a missing proof without failures is INCONCLUSIVE,
 * never a pass. One proof is the number of requests itself: zero failures in n requests bound
 * the failure rate below 3/n with 95 % confidence (the "rule of three",
 * https://en.wikipedia.org/wiki/Rule_of_three_(statistics)), so one lucky request proves nothing.
 */
export interface VerdictInput {
  /** Every request of the run; a request failed when `error` is set. */
  requests: ReadonlyArray<{ start: number; error?: ErrorClass | undefined }>;
  rollout: { completed: boolean };
  generator: { healthy: boolean; reasons: string[] };
  /** The load window on the same time axis as the requests, and the intended rate. */
  load: { rate: number; startMs: number; endMs: number; minRateRatio?: number };
}

export type VerdictKind = 'pass' | 'fail' | 'inconclusive';

export interface Verdict {
  verdict: VerdictKind;
  /** Why the run is not a pass, one sentence each (empty for a pass). */
  reasons: string[];
  requests: number;
  failures: number;
  failuresByClass: Partial<Record<ErrorClass, number>>;
  /** With zero failures, the 95% upper bound on the failure rate ("rule of three": 3/N). */
  failureRateUpperBound95?: number;
  /** 1 s buckets of the load window whose sent count fell below `minRateRatio` of the rate. */
  thinSeconds: number[];
}

/** Default share of the intended rate each second must reach to count as "load applied". */
export const DEFAULT_MIN_RATE_RATIO = 0.9;

/**
 * The fewest requests a PASS rests on: zero failures in 100 requests bound the failure rate below
 * 3 % (95 % confidence). Weaker than that, "zero drops" is not a claim worth making. The defaults
 * send far more (the lab 200 rps for tens of seconds, rollout 50 rps for at least 13 s).
 */
export const MIN_REQUESTS_FOR_PASS = 100;

export function decideVerdict(input: VerdictInput): Verdict {
  const failuresByClass: Partial<Record<ErrorClass, number>> = {};
  let failures = 0;
  for (const r of input.requests) {
    if (r.error === undefined) continue;
    failures++;
    failuresByClass[r.error] = (failuresByClass[r.error] ?? 0) + 1;
  }
  const thinSeconds = secondsWithoutLoad(input.requests, input.load);
  const reasons: string[] = [];
  if (failures > 0) {
    const byClass = Object.entries(failuresByClass)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    reasons.push(`${failures} of ${input.requests.length} requests failed (${byClass})`);
  }
  if (input.requests.length === 0) reasons.push('no requests were sent');
  else if (failures === 0 && input.requests.length < MIN_REQUESTS_FOR_PASS) reasons.push(tooFewRequests(input.requests.length));
  if (thinSeconds.length > 0) {
    const ratio = input.load.minRateRatio ?? DEFAULT_MIN_RATE_RATIO;
    reasons.push(
      `load was not applied in ${thinSeconds.length} second(s) of the run (below ${Math.round(ratio * 100)}% of ${input.load.rate} rps; first at ${thinSeconds[0]} s)`,
    );
  }
  if (!input.rollout.completed) reasons.push('the rollout did not complete within the run');
  if (!input.generator.healthy)
    reasons.push(...(input.generator.reasons.length > 0 ? input.generator.reasons : ['the load generator reported itself unhealthy']));

  // A starved machine turns slow answers into timeouts. When the generator itself could not keep
  // its schedule and every failure is a timeout, the run proves nothing either way.
  const starvedTimeoutsOnly = failures > 0 && !input.generator.healthy && Object.keys(failuresByClass).every((k) => k === 'timeout');
  if (starvedTimeoutsOnly) {
    reasons.push(
      'every failure is a timeout while the load generator itself fell behind: this machine was too busy to tell (rerun when it is idle, or lower --rate)',
    );
  }
  const verdict: VerdictKind = failures > 0 && !starvedTimeoutsOnly ? 'fail' : reasons.length > 0 ? 'inconclusive' : 'pass';
  const out: Verdict = { verdict, reasons, requests: input.requests.length, failures, failuresByClass, thinSeconds };
  if (failures === 0 && input.requests.length > 0) out.failureRateUpperBound95 = 3 / input.requests.length;
  return out;
}

/** Why a clean run of `n` requests is no proof, with the minimum a pass needs. */
function tooFewRequests(n: number): string {
  const bound = 3 / n;
  const theirs = bound >= 1 ? `${n} bound${n === 1 ? 's' : ''} nothing` : `${n} bound it only below ${Number((bound * 100).toPrecision(2))} %`;
  return `only ${n} request${n === 1 ? ' was' : 's were'} sent, too few to prove zero drops: a pass needs at least ${MIN_REQUESTS_FOR_PASS} requests (zero failures in ${MIN_REQUESTS_FOR_PASS} bound the failure rate below ${300 / MIN_REQUESTS_FOR_PASS} % with 95 % confidence, rule of three: 3/N; ${theirs}); raise --rate or lengthen the run`;
}

/**
 * Indexes (0-based seconds from `startMs`) of the load window's 1 s buckets in which fewer than
 * `minRateRatio × rate` requests started. A trailing partial bucket is held to its share.
 */
export function secondsWithoutLoad(
  requests: ReadonlyArray<{ start: number }>,
  load: { rate: number; startMs: number; endMs: number; minRateRatio?: number },
): number[] {
  const ratio = load.minRateRatio ?? DEFAULT_MIN_RATE_RATIO;
  const span = load.endMs - load.startMs;
  if (!(span > 0)) return [];
  const buckets = Math.ceil(span / 1000);
  const counts = new Array<number>(buckets).fill(0);
  for (const r of requests) {
    const i = Math.floor((r.start - load.startMs) / 1000);
    if (i >= 0 && i < buckets) counts[i]!++;
  }
  const thin: number[] = [];
  for (let i = 0; i < buckets; i++) {
    const length = Math.min(1000, span - i * 1000);
    const needed = Math.floor(load.rate * (length / 1000) * ratio);
    if (counts[i]! < needed) thin.push(i);
  }
  return thin;
}
