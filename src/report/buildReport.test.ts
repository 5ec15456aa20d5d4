import { describe, expect, it } from 'vitest';
import type { EventBody, ZerodropEvent } from '../events/schema.js';
import { buildReport } from './buildReport.js';

function at(run: string) {
  return (t: number, body: EventBody): ZerodropEvent => ({ t, run, ...body }) as ZerodropEvent;
}

function request(t: number, extra: Partial<Extract<ZerodropEvent, { type: 'request' }>> = {}): EventBody {
  return { type: 'request', intended: t, start: t, end: t + 5, status: 200, ...extra } as EventBody;
}

describe('buildReport', () => {
  it('keeps runs in the order they first appear, so one file holds the lab’s four runs side by side', () => {
    const events = [
      at('b')(0, { type: 'note', level: 'info', message: 'x' }),
      at('a')(0, { type: 'note', level: 'info', message: 'y' }),
      at('b')(1, { type: 'note', level: 'info', message: 'z' }),
    ];
    const model = buildReport(events);
    expect(model.runs.map((r) => r.run)).toEqual(['b', 'a']);
    expect(model.generatedFrom).toEqual({ events: 3, runs: 2 });
  });

  it('takes verdict and counts from run-end, config, audit and command from run-start', () => {
    const e = at('baseline');
    const model = buildReport([
      e(0, {
        type: 'run-start',
        schema: 1,
        startedAt: '2026-01-01T00:00:00.000Z',
        command: 'zerodrop lab --scenario baseline',
        source: 'lab',
        config: { replicas: 4 },
        audit: [{ rule: 'prestop-sleep', severity: 'error', message: 'no preStop' }],
      }),
      e(100, request(100)),
      e(200, request(200, { error: 'refused', status: undefined, code: 'ECONNREFUSED', pod: 'web-1' })),
      e(300, {
        type: 'run-end',
        verdict: 'fail',
        reasons: ['1 of 2 failed'],
        requests: 2,
        failures: 1,
        failuresByClass: { refused: 1 },
        rollout: { completed: true, durationMs: 150 },
      }),
    ]);
    const run = model.runs[0]!;
    expect(run.command).toBe('zerodrop lab --scenario baseline');
    expect(run.config).toEqual({ replicas: 4 });
    expect(run.audit).toHaveLength(1);
    expect(run.summary).toMatchObject({
      verdict: 'fail',
      finished: true,
      requests: 2,
      failures: 1,
      failuresByClass: { refused: 1 },
      successPercent: 50,
      rollout: { completed: true, durationMs: 150 },
    });
    expect(run.failures).toEqual([{ t: 200, start: 200, end: 205, latencyMs: 5, error: 'refused', code: 'ECONNREFUSED', pod: 'web-1' }]);
  });

  it('calls a stream without run-end inconclusive and counts what it saw, since an interrupted run proves nothing', () => {
    const e = at('r');
    const run = buildReport([e(10, request(10)), e(20, request(20, { status: 503 }))]).runs[0]!;
    expect(run.summary.verdict).toBe('inconclusive');
    expect(run.summary.finished).toBe(false);
    expect(run.summary.reasons[0]).toMatch(/without a run-end/);
    expect(run.summary).toMatchObject({ requests: 2, failures: 1, failuresByClass: { 'http-5xx': 1 } });
    expect(run.source).toBe('unknown');
  });

  it('classes a 5xx without a transport error as http-5xx and leaves 4xx as answered requests', () => {
    const e = at('r');
    const run = buildReport([e(0, request(0, { status: 502, pod: 'p' })), e(1, request(1, { status: 404 }))]).runs[0]!;
    expect(run.failures.map((f) => [f.error, f.status])).toEqual([['http-5xx', 502]]);
  });

  it('attributes failures to their pod lane and groups them by class and pod, most frequent first', () => {
    const e = at('r');
    const run = buildReport([
      e(0, { type: 'pod', pod: 'old', phase: 'created' }),
      e(0, { type: 'pod', pod: 'new', phase: 'created' }),
      e(10, request(10, { error: 'reset', pod: 'old' })),
      e(11, request(11, { error: 'refused', pod: 'new' })),
      e(12, request(12, { error: 'refused', pod: 'new' })),
      e(13, request(13, { error: 'timeout' })),
    ]).runs[0]!;
    expect(run.lanes.map((l) => [l.pod, l.failures])).toEqual([
      ['old', [0]],
      ['new', [1, 2]],
    ]);
    expect(run.failureGroups).toEqual([
      { error: 'refused', pod: 'new', count: 2, first: 11, last: 12 },
      { error: 'reset', pod: 'old', count: 1, first: 10, last: 10 },
      { error: 'timeout', pod: null, count: 1, first: 13, last: 13 },
    ]);
  });

  it('summarises latency of successful requests from the intended send time, and the worst generator lag', () => {
    const e = at('r');
    const events = Array.from({ length: 100 }, (_, i) => e(i * 10, request(i * 10, { start: i * 10 + 1, end: i * 10 + 1 + (i + 1) })));
    events.push(e(5, request(5, { error: 'timeout', end: 5000 })));
    events.push(e(1000, { type: 'load', sent: 100, lagMs: 3.5, inFlight: 1 }), e(2000, { type: 'load', sent: 100, lagMs: 12, inFlight: 0 }));
    const s = buildReport(events).runs[0]!.summary;
    // latency i+2 for i in 0..99 (1 ms send lag + i+1 ms service): p50 = 51, p99 = 100, max = 101.
    expect(s.latencyMs).toEqual({ p50: 51, p90: 91, p99: 100, max: 101 });
    expect(s.maxLoadLagMs).toBe(12);
  });

  it('spans the time range over every request’s end, so a late timeout is still on the axis', () => {
    const e = at('r');
    const run = buildReport([e(0, { type: 'note', level: 'info', message: 'start' }), e(100, request(100, { error: 'timeout', end: 9000 }))]).runs[0]!;
    expect(run.timeRange).toEqual({ start: 0, end: 9000 });
  });

  it('keeps rollout actions as labelled marks and notes in order', () => {
    const e = at('r');
    const run = buildReport([
      e(5, { type: 'rollout', action: 'start', revision: 'v2', replicas: 4 }),
      e(9, { type: 'rollout', action: 'complete', revision: 'v2' }),
      e(1, { type: 'note', level: 'warn', message: 'load not held' }),
    ]).runs[0]!;
    expect(run.rolloutMarks).toEqual([
      { t: 5, action: 'start', label: 'rollout start v2 → 4 replicas' },
      { t: 9, action: 'complete', label: 'rollout complete v2' },
    ]);
    expect(run.notes).toEqual([{ t: 1, level: 'warn', message: 'load not held' }]);
  });
});
