import type pc from 'picocolors';
import { terminalSafe } from '../../terminalText.js';
import { ERROR_CLASSES } from '../model.js';
import { currentRate, failureHistory, type LivePod, type LiveState } from './liveState.js';

export type Colors = ReturnType<typeof pc.createColors>;

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** A deleted pod stays in the table this long so its end is seen, then makes room. */
const KEEP_DELETED_MS = 3000;
const MAX_POD_ROWS = 12;

/** One character per second; zero stays a dim dot so a single failure is never lost in the scale. */
export function sparkline(values: readonly number[], c: Colors): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (v === 0 ? c.dim('·') : c.red(SPARK[Math.min(SPARK.length - 1, Math.ceil((v / max) * SPARK.length) - 1)]!))).join('');
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.floor((ms % 60_000) / 1000)}s`;
}

function phaseText(pod: LivePod, c: Colors): string {
  if (pod.deletedAt !== undefined) return c.dim('deleted');
  if (pod.activity === 'killed') return c.red(c.bold('killed'));
  if (pod.activity === 'signalled') return c.yellow('signalled');
  if (pod.activity === 'preStop') return c.yellow('preStop');
  switch (pod.phase) {
    case 'ready':
    case 'available':
      return c.green(pod.phase);
    case 'not-ready':
      return c.yellow('not-ready');
    case 'terminating':
      return c.yellow('terminating');
    case 'exited':
      return c.dim('exited');
    default:
      return c.cyan(pod.phase);
  }
}

/** Visible width of a string that may hold ANSI colour codes. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/** The compact panel, one string per line, for a terminal `columns` wide. Pure: `now` is passed in. */
export function renderLivePanel(state: LiveState, now: number, c: Colors): string[] {
  const failed = state.failures > 0 ? c.red(c.bold(String(state.failures))) : c.green('0');
  const classes = ERROR_CLASSES.filter((k) => (state.failuresByClass[k] ?? 0) > 0)
    .map((k) => `${k} ${state.failuresByClass[k]}`)
    .join(', ');
  const verdict = state.verdict
    ? `  ${state.verdict === 'pass' ? c.green(c.bold('PASS')) : state.verdict === 'fail' ? c.red(c.bold('FAIL')) : c.yellow(c.bold('INCONCLUSIVE'))}`
    : '';
  const lines = [
    `${c.bold('zerodrop')} ${c.cyan(terminalSafe(state.run) || '…')}  ${c.dim(`t=${seconds(now)}`)}  rollout ${state.rollout}${verdict}`,
    `rate ${String(currentRate(state, now)).padStart(4)} req/s   requests ${state.requests}   failed ${failed}${classes ? c.dim(` (${classes})`) : ''}`,
    `failures/s ${sparkline(failureHistory(state, now, 30), c)} ${c.dim('last 30 s')}`,
  ];
  const visible = [...state.pods.values()].filter((p) => p.deletedAt === undefined || now - p.deletedAt < KEEP_DELETED_MS);
  if (visible.length > 0) {
    const name = (p: LivePod) => terminalSafe(p.name);
    const nameWidth = Math.min(34, Math.max(3, ...visible.map((p) => name(p).length)));
    lines.push(c.dim(`${pad('POD', nameWidth)}  ${pad('PHASE', 12)}  ${pad('IN PHASE', 8)}  AGE`));
    for (const pod of visible.slice(-MAX_POD_ROWS)) {
      lines.push(
        `${pad(name(pod).slice(0, nameWidth), nameWidth)}  ${pad(phaseText(pod, c), 12)}  ${pad(seconds(Math.max(0, now - pod.since)), 8)}  ${seconds(Math.max(0, now - pod.createdAt))}`,
      );
    }
    if (visible.length > MAX_POD_ROWS) lines.push(c.dim(`… ${visible.length - MAX_POD_ROWS} older pods not shown`));
  }
  if (state.lastNote) {
    const text = terminalSafe(`${state.lastNote.level === 'warn' ? 'warning: ' : ''}${state.lastNote.message}`);
    lines.push(state.lastNote.level === 'warn' ? c.yellow(text) : c.dim(text));
  }
  return lines;
}
