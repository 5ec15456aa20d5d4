import { describe, expect, it } from 'vitest';
import pc from 'picocolors';
import type { EventBody, ZerodropEvent } from '../../events/schema.js';
import { EventStream } from '../../events/stream.js';
import { createLiveView } from './createLiveView.js';
import { renderLivePanel, sparkline } from './livePanel.js';
import { FailureSummariser, plainLine } from './livePlain.js';
import { applyLiveEvent, createLiveState, currentRate, failureHistory } from './liveState.js';

const plainColors = pc.createColors(false);
const ev = (t: number, body: EventBody, run = 'baseline') => ({ t, run, ...body }) as ZerodropEvent;
const req = (end: number, extra: Record<string, unknown> = {}) =>
  ev(end, { type: 'request', intended: end - 5, start: end - 5, end, status: 200, ...extra } as EventBody);

class Buffer {
  chunks: string[] = [];
  isTTY: boolean;
  columns = 100;
  constructor(isTTY: boolean) {
    this.isTTY = isTTY;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  get text() {
    return this.chunks.join('');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live state', () => {
  it('tracks each pod’s phase, the activity inside it and when it began', () => {
    const s = createLiveState('baseline');
    for (const e of [
      ev(0, { type: 'pod', pod: 'web-a', phase: 'created', revision: 'v1' }),
      ev(400, { type: 'pod', pod: 'web-a', phase: 'ready' }),
      ev(1000, { type: 'pod', pod: 'web-a', phase: 'terminating' }),
      ev(1300, { type: 'container', pod: 'web-a', container: 'app', action: 'prestop-start' }),
      ev(3300, { type: 'container', pod: 'web-a', container: 'app', action: 'signal', signal: 'SIGTERM' }),
    ])
      applyLiveEvent(s, e);
    expect(s.pods.get('web-a')).toMatchObject({ phase: 'terminating', activity: 'signalled', since: 3300, createdAt: 0, revision: 'v1' });
  });

  it('counts requests and failures per second of completion for the rate and the sparkline', () => {
    const s = createLiveState('r');
    [req(100), req(200), req(1100), req(1200, { error: 'refused' }), req(1300, { status: 502 }), req(2500, { error: 'reset' })].forEach((e) =>
      applyLiveEvent(s, e),
    );
    expect(s.requests).toBe(6);
    expect(s.failures).toBe(3);
    expect(s.failuresByClass).toEqual({ refused: 1, 'http-5xx': 1, reset: 1 });
    expect(currentRate(s, 2600)).toBe(3);
    expect(failureHistory(s, 3000, 4)).toEqual([0, 0, 2, 1]);
  });

  it('starts over when a different run begins on the same stream', () => {
    const s = createLiveState('a');
    applyLiveEvent(s, req(10, { error: 'refused' }));
    applyLiveEvent(s, ev(0, { type: 'run-start', schema: 1, startedAt: 'x', command: 'c', source: 'lab', config: {} }, 'b'));
    expect(s.run).toBe('b');
    expect(s.failures).toBe(0);
  });
});

describe('live panel', () => {
  it('shows run, rate, failures by class, a sparkline and one row per pod with phase and age', () => {
    const s = createLiveState('baseline');
    [
      ev(0, { type: 'pod', pod: 'web-old', phase: 'created' }),
      ev(500, { type: 'pod', pod: 'web-old', phase: 'ready' }),
      ev(4000, { type: 'rollout', action: 'start' }),
      ev(4000, { type: 'pod', pod: 'web-new', phase: 'created' }),
      ev(5000, { type: 'pod', pod: 'web-old', phase: 'terminating' }),
      ev(5100, { type: 'container', pod: 'web-old', container: 'app', action: 'kill' }),
      req(5200, { error: 'refused' }),
      req(5300),
      ev(5400, { type: 'note', level: 'warn', message: 'load lagging' }),
    ].forEach((e) => applyLiveEvent(s, e));
    const lines = renderLivePanel(s, 6000, plainColors);
    expect(lines[0]).toMatch(/^zerodrop baseline {2}t=6\.0s {2}rollout in progress$/);
    expect(lines[1]).toMatch(/rate +2 req\/s +requests 2 +failed 1 \(refused 1\)/);
    expect(lines[2]).toBe(`failures/s ${'·'.repeat(29)}█ last 30 s`);
    expect(lines.find((l) => l.startsWith('web-old'))).toMatch(/^web-old +killed +0\.9s +6\.0s$/);
    expect(lines.find((l) => l.startsWith('web-new'))).toMatch(/^web-new +created +2\.0s +2\.0s$/);
    expect(lines.at(-1)).toBe('warning: load lagging');
  });

  it('scales the sparkline to the worst second and keeps zero seconds visible as dots', () => {
    expect(sparkline([0, 1, 4, 8], plainColors)).toBe('·▁▄█');
  });

  it('drops deleted pods from the table a few seconds after they are gone', () => {
    const s = createLiveState('r');
    applyLiveEvent(s, ev(0, { type: 'pod', pod: 'gone', phase: 'created' }));
    applyLiveEvent(s, ev(1000, { type: 'pod', pod: 'gone', phase: 'deleted' }));
    expect(renderLivePanel(s, 2000, plainColors).some((l) => l.startsWith('gone') && l.includes('deleted'))).toBe(true);
    expect(renderLivePanel(s, 5000, plainColors).some((l) => l.startsWith('gone'))).toBe(false);
  });
});

describe('plain lines', () => {
  it('prints pod phases, signals, kills and endpoint removals; not requests, probes or endpoint additions', () => {
    expect(plainLine(ev(4500, { type: 'pod', pod: 'web-a', phase: 'terminating', revision: 'v1' }))).toBe('[baseline]    4.50s pod web-a terminating (v1)');
    expect(plainLine(ev(5000, { type: 'container', pod: 'web-a', container: 'app', action: 'signal', signal: 'SIGTERM' }))).toBe(
      '[baseline]    5.00s pod web-a app: SIGTERM sent',
    );
    expect(plainLine(ev(7000, { type: 'container', pod: 'web-a', container: 'app', action: 'kill' }))).toMatch(/SIGKILL/);
    expect(plainLine(ev(5400, { type: 'endpoint', pod: 'web-a', consumer: 'proxy', change: 'removed' }))).toBe(
      '[baseline]    5.40s proxy removed endpoint web-a',
    );
    expect(plainLine(ev(5400, { type: 'endpoint', pod: 'web-a', consumer: 'proxy', change: 'added' }))).toBeNull();
    expect(plainLine(ev(5400, { type: 'container', pod: 'web-a', container: 'app', action: 'probe-fail' }))).toBeNull();
    expect(plainLine(req(100))).toBeNull();
  });

  it('summarises the failures of one second in one line when a later second starts', () => {
    const f = new FailureSummariser();
    expect(f.add(req(1100, { error: 'refused', pod: 'a' }))).toBeNull();
    expect(f.add(req(1200, { error: 'refused', pod: 'b' }))).toBeNull();
    expect(f.add(req(1300))).toBeNull();
    expect(f.add(req(1900, { error: 'reset', pod: 'a' }))).toBeNull();
    expect(f.add(req(2100, { error: 'timeout' }))).toBe('[baseline]    1.00s 3 requests failed in this second (refused 2, reset 1; pods a, b)');
    expect(f.flushIfBefore(2900)).toBeNull();
    expect(f.flushIfBefore(3000)).toBe('[baseline]    2.00s 1 request failed in this second (timeout 1)');
    expect(f.flush()).toBeNull();
  });
});

describe('createLiveView', () => {
  it('in plain mode writes lines in time order and flushes pending failures on stop', () => {
    const stream = new EventStream('baseline');
    const out = new Buffer(false);
    const view = createLiveView(stream, { output: out });
    expect(view.mode).toBe('plain');
    stream.emit({ type: 'pod', pod: 'web-a', phase: 'created' }, 0);
    stream.emit({ type: 'request', intended: 1000, start: 1000, end: 1001, error: 'refused', pod: 'web-a' }, 1001);
    stream.emit({ type: 'endpoint', pod: 'web-a', consumer: 'proxy', change: 'removed' }, 2500);
    stream.emit({ type: 'request', intended: 2600, start: 2600, end: 2601, error: 'reset' }, 2601);
    view.stop();
    view.stop();
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      '[baseline]    0.00s pod web-a created',
      '[baseline]    1.00s 1 request failed in this second (refused 1; pods web-a)',
      '[baseline]    2.50s proxy removed endpoint web-a',
      '[baseline]    2.00s 1 request failed in this second (reset 1)',
    ]);
    stream.emit({ type: 'pod', pod: 'web-b', phase: 'created' }, 3000);
    expect(out.text).not.toContain('web-b');
  });

  it('on a TTY redraws the panel in place at most maxFps times a second and restores the cursor on stop', async () => {
    const stream = new EventStream('baseline');
    const out = new Buffer(true);
    const view = createLiveView(stream, { output: out, color: false });
    expect(view.mode).toBe('tty');
    expect(out.text.startsWith('\x1b[?25l')).toBe(true);
    const started = Date.now();
    // A burst of events far faster than the frame rate must not cause a redraw per event.
    for (let i = 0; i < 2000; i++) stream.emit({ type: 'request', intended: i, start: i, end: i + 1, status: 200 });
    stream.emit({ type: 'pod', pod: 'web-a', phase: 'created' });
    await sleep(1100);
    view.stop();
    const elapsed = Date.now() - started;
    const frames = out.chunks.filter((c) => c.includes('\x1b[0J')).length;
    // One initial frame, one per 200 ms tick, one final frame on stop.
    expect(frames).toBeGreaterThanOrEqual(3);
    expect(frames).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    expect(
      out.chunks
        .filter((c) => c.includes('\x1b[0J'))
        .slice(1)
        .every((c) => /^\x1b\[\d+F/.test(c)),
    ).toBe(true);
    expect(out.text.endsWith('\x1b[?25h')).toBe(true);
    expect(out.chunks.at(-2)).toMatch(/requests 2000/);
    expect(out.chunks.at(-2)).toMatch(/web-a +created/);
  });

  it('cuts panel lines to the terminal width so the redraw arithmetic holds', async () => {
    const stream = new EventStream('r');
    const out = new Buffer(true);
    out.columns = 30;
    const view = createLiveView(stream, { output: out, color: true });
    stream.emit({ type: 'pod', pod: 'a-very-long-pod-name-that-would-wrap-1234567890', phase: 'ready' });
    view.stop();
    const frame = out.chunks.at(-2)!.replace(/^\x1b\[\d+F\x1b\[0J/, '');
    for (const line of frame.split('\n').filter(Boolean)) expect(line.replace(/\x1b\[[0-9;]*m/g, '').length).toBeLessThanOrEqual(29);
  });

  it('mode off subscribes to nothing and writes nothing', () => {
    const stream = new EventStream('r');
    const out = new Buffer(true);
    const view = createLiveView(stream, { output: out, mode: 'off' });
    stream.emit({ type: 'pod', pod: 'a', phase: 'ready' });
    view.stop();
    expect(out.text).toBe('');
  });
});
