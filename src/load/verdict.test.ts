import { describe, expect, it } from 'vitest';
import type { ErrorClass } from '../events/schema.js';
import { decideVerdict, secondsWithoutLoad, type VerdictInput } from './verdict.js';

/** `n` requests evenly spread over [0, seconds) s, with `failed` classes on the first ones. */
function steady(rate: number, seconds: number, failed: ErrorClass[] = []): VerdictInput['requests'] {
  const out: Array<{ start: number; error?: ErrorClass }> = [];
  for (let i = 0; i < rate * seconds; i++) {
    const r: { start: number; error?: ErrorClass } = { start: (i * 1000) / rate };
    if (i < failed.length) r.error = failed[i]!;
    out.push(r);
  }
  return out;
}

const healthy = { healthy: true, reasons: [] };
const load = { rate: 100, startMs: 0, endMs: 3000 };

describe('decideVerdict (pass only with zero failures, load in every second, rollout done, healthy generator)', () => {
  const table: Array<[string, VerdictInput, 'pass' | 'fail' | 'inconclusive', RegExp | undefined]> = [
    ['all proofs, zero failures', { requests: steady(100, 3), rollout: { completed: true }, generator: healthy, load }, 'pass', undefined],
    [
      'one failed request',
      { requests: steady(100, 3, ['reset']), rollout: { completed: true }, generator: healthy, load },
      'fail',
      /1 of 300 requests failed \(1 reset\)/,
    ],
    [
      'failures win over missing proofs',
      { requests: steady(100, 3, ['refused']), rollout: { completed: false }, generator: { healthy: false, reasons: ['lagged'] }, load },
      'fail',
      /lagged/,
    ],
    [
      'only timeouts while the generator fell behind: the machine was too busy to tell',
      { requests: steady(100, 3, ['timeout', 'timeout']), rollout: { completed: true }, generator: { healthy: false, reasons: ['lagged'] }, load },
      'inconclusive',
      /every failure is a timeout while the load generator itself fell behind/,
    ],
    [
      'timeouts with a healthy generator are failures',
      { requests: steady(100, 3, ['timeout']), rollout: { completed: true }, generator: healthy, load },
      'fail',
      /1 timeout/,
    ],
    [
      'rollout not completed',
      { requests: steady(100, 3), rollout: { completed: false }, generator: healthy, load },
      'inconclusive',
      /rollout did not complete/,
    ],
    [
      'generator unhealthy',
      { requests: steady(100, 3), rollout: { completed: true }, generator: { healthy: false, reasons: ['lag p99 80 ms'] }, load },
      'inconclusive',
      /lag p99 80 ms/,
    ],
    [
      'a second without load',
      { requests: steady(100, 3).filter((r) => r.start < 1000 || r.start >= 2000), rollout: { completed: true }, generator: healthy, load },
      'inconclusive',
      /not applied in 1 second\(s\).*first at 1 s/,
    ],
    ['no requests at all', { requests: [], rollout: { completed: true }, generator: healthy, load }, 'inconclusive', /no requests/],
    [
      'one clean request (--rate 0.01) proves nothing',
      { requests: [{ start: 0 }], rollout: { completed: true }, generator: healthy, load: { rate: 0.01, startMs: 0, endMs: 20_000 } },
      'inconclusive',
      /only 1 request was sent, too few to prove zero drops: a pass needs at least 100 requests .*1 bounds nothing/,
    ],
    [
      '40 clean requests bound the failure rate only below 7.5 %',
      { requests: steady(10, 4), rollout: { completed: true }, generator: healthy, load: { rate: 10, startMs: 0, endMs: 4000 } },
      'inconclusive',
      /only 40 requests were sent.*at least 100 requests.*below 3 % with 95 % confidence.*40 bound it only below 7\.5 %/,
    ],
    [
      '100 clean requests are enough',
      { requests: steady(50, 2), rollout: { completed: true }, generator: healthy, load: { rate: 50, startMs: 0, endMs: 2000 } },
      'pass',
      undefined,
    ],
    [
      'a failure in a short run is still a failure',
      { requests: steady(10, 1, ['reset']), rollout: { completed: true }, generator: healthy, load: { rate: 10, startMs: 0, endMs: 1000 } },
      'fail',
      /1 of 10 requests failed/,
    ],
  ];
  it.each(table)('%s → %s', (_name, input, expected, reason) => {
    const v = decideVerdict(input);
    expect(v.verdict).toBe(expected);
    if (reason) expect(v.reasons.join('\n')).toMatch(reason);
    else expect(v.reasons).toEqual([]);
  });

  it('counts failures by class', () => {
    const v = decideVerdict({
      requests: steady(100, 3, ['reset', 'reset', 'http-5xx', 'socket-closed']),
      rollout: { completed: true },
      generator: healthy,
      load,
    });
    expect(v).toMatchObject({ requests: 300, failures: 4, failuresByClass: { reset: 2, 'http-5xx': 1, 'socket-closed': 1 } });
  });

  it('reports the rule-of-three bound only for zero failures', () => {
    expect(decideVerdict({ requests: steady(100, 3), rollout: { completed: true }, generator: healthy, load }).failureRateUpperBound95).toBeCloseTo(0.01);
    expect(
      decideVerdict({ requests: steady(100, 3, ['reset']), rollout: { completed: true }, generator: healthy, load }).failureRateUpperBound95,
    ).toBeUndefined();
  });
});

describe('secondsWithoutLoad', () => {
  it('accepts 90% of the rate and rejects less', () => {
    const ninety = steady(100, 1).slice(0, 90);
    expect(secondsWithoutLoad(ninety, { rate: 100, startMs: 0, endMs: 1000 })).toEqual([]);
    expect(secondsWithoutLoad(ninety.slice(1), { rate: 100, startMs: 0, endMs: 1000 })).toEqual([0]);
  });

  it('holds a trailing partial second to its share', () => {
    const reqs = steady(100, 2).slice(0, 150); // 1.5 s worth
    expect(secondsWithoutLoad(reqs, { rate: 100, startMs: 0, endMs: 1500 })).toEqual([]);
    expect(secondsWithoutLoad(reqs.slice(0, 120), { rate: 100, startMs: 0, endMs: 1500 })).toEqual([1]);
  });

  it('measures from the load window start, not from zero', () => {
    const reqs = steady(100, 2).map((r) => ({ start: r.start + 5000 }));
    expect(secondsWithoutLoad(reqs, { rate: 100, startMs: 5000, endMs: 7000 })).toEqual([]);
  });
});
