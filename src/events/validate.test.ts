import { describe, expect, it } from 'vitest';
import type { ZerodropEvent } from './schema.js';
import { parseEvents } from './stream.js';
import { eventProblem } from './validate.js';

const valid: ZerodropEvent[] = [
  { t: 0, run: 'r', type: 'run-start', schema: 1, startedAt: '2026-01-01T00:00:00Z', command: 'zerodrop lab', source: 'lab', config: { replicas: 2 } },
  { t: 1, run: 'r', type: 'pod', pod: 'web-1', phase: 'created', revision: 'rev1' },
  { t: 2, run: 'r', type: 'container', pod: 'web-1', container: 'app', action: 'exit', exitCode: null, signal: 'SIGKILL', stderr: ['boom'] },
  { t: 3, run: 'r', type: 'endpoint', pod: 'web-1', consumer: 'proxy', change: 'removed', conditions: { ready: false, terminating: true } },
  { t: 4, run: 'r', type: 'rollout', action: 'scale', revision: 'rev2', replicas: 3 },
  { t: 5, run: 'r', type: 'request', intended: 5, start: 5, end: 6, status: 502, error: 'http-5xx', pod: 'web-1' },
  { t: 6, run: 'r', type: 'load', sent: 100, lagMs: 1.5, inFlight: 2 },
  { t: 7, run: 'r', type: 'note', level: 'warn', message: 'scaled timings down' },
  {
    t: 8,
    run: 'r',
    type: 'run-end',
    verdict: 'fail',
    reasons: ['1 request failed'],
    requests: 1,
    failures: 1,
    failuresByClass: { 'http-5xx': 1 },
    rollout: { completed: true, durationMs: 8 },
  },
];

describe('eventProblem: the schema checked where events come in', () => {
  it('accepts every event type as the producers write it, and fields it does not know', () => {
    for (const e of valid) expect(eventProblem(e), e.type).toBeUndefined();
    expect(eventProblem({ ...valid[1]!, addedLater: { any: 'thing' } })).toBeUndefined();
  });

  it.each([
    ['a missing field', { t: 0, run: 'r', type: 'run-end', verdict: 'pass' }, 'run-end event: reasons is missing'],
    [
      'a verdict it does not know',
      { ...valid[8]!, verdict: '<img src=x onerror=alert(1)>' },
      'run-end event: verdict must be one of pass, fail, inconclusive, got "<img src=x onerror=alert(1)>"',
    ],
    [
      'a note level it does not know',
      { ...valid[7]!, level: 'x" onclick="alert(1)' },
      'note event: level must be one of info, warn, got "x\\" onclick=\\"alert(1)"',
    ],
    ['a wrongly typed field', { ...valid[5]!, end: '6' }, 'request event: end must be a number, got "6"'],
    [
      'a failure class it does not know',
      { ...valid[5]!, error: 'boom' },
      'request event: error must be one of refused, reset, socket-closed, timeout, http-5xx, other, got "boom"',
    ],
    [
      'a list with a wrong item',
      { ...valid[8]!, reasons: ['ok', 3] },
      'run-end event: reasons must be a list whose items are a string (item 2 is not), got ["ok",3]',
    ],
    [
      'a nested field',
      { ...valid[8]!, rollout: { completed: 'yes', durationMs: 1 } },
      'run-end event: rollout must be an object whose completed must be true or false, got "yes", got {"completed":"yes","durationMs":1}',
    ],
    [
      'a class count keyed by an unknown class',
      { ...valid[8]!, failuresByClass: { boom: 1 } },
      'run-end event: failuresByClass must be an object whose keys are one of refused, reset, socket-closed, timeout, http-5xx, other ("boom" is not), got {"boom":1}',
    ],
    ['a null where an object belongs', { ...valid[0]!, config: null }, 'run-start event: config must be an object, got null'],
    ['no time', { run: 'r', type: 'note', level: 'info', message: 'x' }, 'note event: t (milliseconds since the run started) must be a number, got null'],
    [
      'an unknown type',
      { t: 0, run: 'r', type: 'podd' },
      'event lacks a known type (run-start, run-end, pod, container, endpoint, rollout, request, load, note), got "podd"',
    ],
    ['not an object', [1, 2], 'expected an event object, got [1,2]'],
  ])('names %s', (_what, value, problem) => {
    expect(eventProblem(value)).toBe(problem);
  });

  it('quotes a bad value short and terminal-safe', () => {
    expect(eventProblem({ ...valid[7]!, level: `\u001b]0;pwned\u0007\u202e${'x'.repeat(100)}` })).toBe(
      `note event: level must be one of info, warn, got "\\u001b]0;pwned\\u0007\\u202e${'x'.repeat(37)}…`,
    );
  });
});

describe('parseEvents', () => {
  it('turns the first malformed event into a usage error at its file and line (exit 2)', () => {
    const text = `${JSON.stringify(valid[0])}\n\n${JSON.stringify({ t: 1, run: 'r', type: 'pod', phase: 'ready' })}\n`;
    expect(() => parseEvents(text, 'runs.ndjson')).toThrow(
      expect.objectContaining({ code: 'events-malformed', exitCode: 2, position: { file: 'runs.ndjson', line: 3 } }),
    );
    expect(() => parseEvents(text, 'runs.ndjson')).toThrow('pod event: pod is missing');
  });
});
