import { describe, expect, it } from 'vitest';
import type { EventBody, ZerodropEvent } from '../events/schema.js';
import { buildReport } from './buildReport.js';

const e = (t: number, body: EventBody) => ({ t, run: 'r', ...body }) as ZerodropEvent;
const failed = (t: number, pod: string | undefined, error: 'refused' | 'reset' = 'refused') =>
  e(t, { type: 'request', intended: t, start: t, end: t + 1, error, ...(pod ? { pod } : {}) } as EventBody);

/** One old pod shut down per docs/reference/pod-termination.md#termination-timeline without preStop, one new pod ready before it listens. */
const lifecycle: ZerodropEvent[] = [
  e(0, { type: 'pod', pod: 'old', phase: 'created' }),
  e(100, { type: 'pod', pod: 'old', phase: 'ready' }),
  e(1000, { type: 'pod', pod: 'new', phase: 'created' }),
  e(1050, { type: 'pod', pod: 'new', phase: 'ready' }),
  e(1500, { type: 'container', pod: 'new', container: 'app', action: 'listening' }),
  e(2000, { type: 'pod', pod: 'old', phase: 'terminating' }),
  e(2300, { type: 'container', pod: 'old', container: 'app', action: 'signal', signal: 'SIGTERM' }),
  e(2350, { type: 'container', pod: 'old', container: 'app', action: 'exit', exitCode: 0 }),
  e(2900, { type: 'endpoint', pod: 'old', consumer: 'proxy', change: 'removed' }),
  e(2950, { type: 'endpoint', pod: 'old', consumer: 'endpointslice', change: 'removed' }),
  e(3000, { type: 'pod', pod: 'old', phase: 'deleted' }),
];

describe('explainFailures', () => {
  it('says which failures hit a pod that was ready but not listening, came after the stop signal, were cut in flight or hit a pod already gone', () => {
    const run = buildReport([
      ...lifecycle,
      failed(1100, 'new'),
      failed(1200, 'new'),
      failed(2310, 'old'),
      failed(2320, 'old', 'reset'),
      failed(2500, 'old'),
      failed(3100, 'old'),
    ]).runs[0]!;
    expect(run.explanations.map((x) => [x.cause, x.count, x.pods])).toEqual([
      ['not-listening-yet', 2, ['new']],
      ['pod-gone', 2, ['old']],
      ['after-signal', 1, ['old']],
      ['cut-in-flight', 1, ['old']],
    ]);
    const message = (cause: string) => run.explanations.find((x) => x.cause === cause)!.message;
    expect(message('after-signal')).toContain('proxy removed the endpoint up to 600 ms after the stop signal');
    expect(message('pod-gone')).toContain('proxy removed the endpoint up to 550 ms after the pod exited');
    expect(message('pod-gone')).not.toContain('endpointslice');
  });

  it('reads a refused connection on a ready pod as not listening when the producer records no listening event', () => {
    const run = buildReport([
      e(0, { type: 'pod', pod: 'p', phase: 'ready' }),
      failed(500, 'p'),
      e(600, { type: 'request', intended: 600, start: 600, end: 700, status: 500, pod: 'p' } as EventBody),
    ]).runs[0]!;
    expect(run.explanations.map((x) => x.cause).sort()).toEqual(['not-listening-yet', 'while-ready']);
  });

  it('blames SIGKILL for failures while the pod was being killed, and a missing pod for unattributed ones', () => {
    const run = buildReport([
      e(0, { type: 'pod', pod: 'p', phase: 'created' }),
      e(10, { type: 'pod', pod: 'p', phase: 'ready' }),
      e(100, { type: 'pod', pod: 'p', phase: 'terminating' }),
      e(200, { type: 'container', pod: 'p', container: 'app', action: 'signal' }),
      e(300, { type: 'container', pod: 'p', container: 'app', action: 'kill' }),
      e(400, { type: 'container', pod: 'p', container: 'app', action: 'exit', exitCode: null }),
      failed(350, 'p'),
      failed(360, undefined),
    ]).runs[0]!;
    expect(run.explanations.map((x) => x.cause)).toEqual(['killed', 'no-pod']);
  });
});
