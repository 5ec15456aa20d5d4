import pc from 'picocolors';
import type { ZerodropEvent } from '../../events/schema.js';
import type { EventStream } from '../../events/stream.js';
import { renderLivePanel, visibleLength } from './livePanel.js';
import { FailureSummariser, plainLine } from './livePlain.js';
import { applyLiveEvent, createLiveState, type LiveState } from './liveState.js';

/** Where the view writes: a terminal (process.stderr) or any writable, e.g. a buffer in tests. */
export interface LiveOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface LiveViewOptions {
  /** Default process.stderr, so stdout stays free for results (--json). */
  output?: LiveOutput;
  /**
   * `auto` (default): a redrawn panel on a TTY, plain lines otherwise. `plain` is what
   * `--no-progress` asks for. `tty` forces the panel (tests). `off` subscribes to nothing.
   */
  mode?: 'auto' | 'tty' | 'plain' | 'off';
  /** Panel redraws per second at most; default 5. */
  maxFps?: number;
  /** Colours; default: on for a TTY unless NO_COLOR is set. */
  color?: boolean;
}

export interface LiveView {
  /** 'tty' or 'plain': what `auto` resolved to. */
  readonly mode: 'tty' | 'plain' | 'off';
  /** The folded state, for a final summary. */
  readonly state: LiveState;
  /** Draws the last frame (or flushes pending lines), restores the cursor and unsubscribes. Idempotent. */
  stop(): void;
}

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

function resolveMode(mode: LiveViewOptions['mode'], output: LiveOutput): LiveView['mode'] {
  if (mode === 'tty' || mode === 'plain' || mode === 'off') return mode;
  return output.isTTY && process.env.TERM !== 'dumb' ? 'tty' : 'plain';
}

/**
 * Shows a run as it happens. On a TTY: a compact panel (pods with phase and age, current rate,
 * failures so far, a failures/s sparkline) redrawn in place at most `maxFps` times a second.
 * Otherwise: one plain line per significant event and one per second with failures.
 */
export function createLiveView(stream: EventStream, options: LiveViewOptions = {}): LiveView {
  const output = options.output ?? process.stderr;
  const mode = resolveMode(options.mode, output);
  const state = createLiveState(stream.run);
  if (mode === 'off') return { mode, state, stop: () => {} };
  return mode === 'tty' ? ttyView(stream, output, state, options) : plainView(stream, output, state);
}

function ttyView(stream: EventStream, output: LiveOutput, state: LiveState, options: LiveViewOptions): LiveView {
  const colors = pc.createColors(options.color ?? !('NO_COLOR' in process.env));
  const interval = 1000 / Math.max(0.5, options.maxFps ?? 5);
  let drawnLines = 0;

  const draw = () => {
    const width = Math.max(20, (output.columns ?? 100) - 1);
    // Lines longer than the terminal would wrap and break the cursor arithmetic: cut them.
    const lines = renderLivePanel(state, Math.max(stream.now(), state.lastT), colors).map((l) => (visibleLength(l) > width ? cut(l, width) : l));
    const up = drawnLines > 0 ? `\x1b[${drawnLines}F` : '';
    output.write(`${up}\x1b[0J${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const restore = () => output.write(SHOW_CURSOR);

  const unsubscribe = stream.subscribe((event: ZerodropEvent) => {
    applyLiveEvent(state, event);
  });
  output.write(HIDE_CURSOR);
  process.once('exit', restore);
  draw();
  return {
    mode: 'tty',
    state,
    stop: whileRunning(draw, interval, () => {
      unsubscribe();
      draw();
      restore();
      process.removeListener('exit', restore);
    }),
  };
}

/** Runs `tick` every `intervalMs` (never keeping the process alive) and returns an idempotent stop that runs `finish` once. */
function whileRunning(tick: () => void, intervalMs: number, finish: () => void): () => void {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    finish();
  };
}

/** Cuts a line with colour codes to `width` visible characters and resets colours after the cut. */
function cut(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length && visible < width; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      if (end !== -1) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    out += line[i];
    visible++;
  }
  return `${out}\x1b[0m`;
}

function plainView(stream: EventStream, output: LiveOutput, state: LiveState): LiveView {
  const failures = new FailureSummariser();
  const print = (line: string | null) => {
    if (line !== null) output.write(`${line}\n`);
  };
  const unsubscribe = stream.subscribe((event: ZerodropEvent) => {
    applyLiveEvent(state, event);
    if (event.type === 'request') {
      print(failures.add(event));
      return;
    }
    // A significant event from a later second closes the failures of the earlier one first, keeping the log in time order.
    print(failures.flushIfBefore(event.t));
    if (event.type === 'run-end') print(failures.flush());
    print(plainLine(event));
  });
  return {
    mode: 'plain',
    state,
    // Failures that stop arriving must still be reported once their second is over.
    stop: whileRunning(
      () => print(failures.flushIfBefore(stream.now())),
      500,
      () => {
        unsubscribe();
        print(failures.flush());
      },
    ),
  };
}
