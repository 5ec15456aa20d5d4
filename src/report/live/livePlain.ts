import type { ErrorClass, ZerodropEvent } from '../../events/schema.js';
import { terminalSafe } from '../../terminalText.js';
import { ERROR_CLASSES } from '../model.js';
import { failureClass, isFailure } from '../requestSeries.js';

function stamp(event: { run: string; t: number }): string {
  return `[${event.run}] ${(event.t / 1000).toFixed(2).padStart(7)}s`;
}

/**
 * One line for an event worth a line in a log (CI, `--no-progress`), or null. Requests are not
 * printed one by one: their failures are summarised per second by FailureSummariser. Names and
 * messages come from manifests and processes, so the line is terminal-safe.
 */
export function plainLine(event: ZerodropEvent): string | null {
  const line = describeEvent(event);
  return line === null ? null : terminalSafe(line);
}

function describeEvent(event: ZerodropEvent): string | null {
  const at = stamp(event);
  switch (event.type) {
    case 'run-start':
      return `${at} run started${event.description ? `: ${event.description}` : ''}`;
    case 'run-end': {
      const classes = Object.entries(event.failuresByClass)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const reasons = event.reasons.length > 0 ? ` (${event.reasons.join('; ')})` : '';
      return `${at} run ended: ${event.verdict.toUpperCase()}, ${event.failures} of ${event.requests} requests failed${classes ? ` [${classes}]` : ''}${reasons}`;
    }
    case 'pod':
      return `${at} pod ${event.pod} ${event.phase}${event.revision ? ` (${event.revision})` : ''}${event.detail ? `: ${event.detail}` : ''}`;
    case 'container':
      switch (event.action) {
        case 'signal':
          return `${at} pod ${event.pod} ${event.container}: ${event.signal ?? 'stop signal'} sent`;
        case 'kill':
          return `${at} pod ${event.pod} ${event.container}: SIGKILL (grace period over)`;
        case 'prestop-start':
          return `${at} pod ${event.pod} ${event.container}: preStop started${event.detail ? ` (${event.detail})` : ''}`;
        case 'exit':
          return `${at} pod ${event.pod} ${event.container}: exited${event.exitCode === null ? ` by ${event.signal ?? 'signal'}` : event.exitCode === undefined ? '' : ` with code ${event.exitCode}`}${event.detail ? `: ${event.detail}` : ''}`;
        case 'restart':
          return `${at} pod ${event.pod} ${event.container}: restarted${event.detail ? ` (${event.detail})` : ''}`;
        default:
          return null;
      }
    case 'endpoint':
      return event.change === 'removed' ? `${at} ${event.consumer} removed endpoint ${event.pod}` : null;
    case 'rollout':
      return event.action === 'start' || event.action === 'complete' || event.action === 'deadline-exceeded'
        ? `${at} rollout ${event.action}${event.revision ? ` ${event.revision}` : ''}${event.detail ? ` (${event.detail})` : ''}`
        : null;
    case 'note':
      return `${at} ${event.level === 'warn' ? 'warning: ' : ''}${event.message}`;
    default:
      return null;
  }
}

/** Collects failed requests of one second of the run and turns them into one line when the second is over. */
export class FailureSummariser {
  private second: number | undefined;
  private run = '';
  private count = 0;
  private byClass: Partial<Record<ErrorClass, number>> = {};
  private pods = new Set<string>();

  /** Adds a request; returns the previous second's line if this one belongs to a later second. */
  add(event: ZerodropEvent): string | null {
    if (event.type !== 'request' || !isFailure(event)) return null;
    const second = Math.floor(event.end / 1000);
    const flushed = this.second !== undefined && second > this.second ? this.flush() : null;
    if (this.second === undefined || second > this.second) this.second = second;
    this.run = event.run;
    this.count++;
    const c = failureClass(event);
    this.byClass[c] = (this.byClass[c] ?? 0) + 1;
    if (event.pod) this.pods.add(event.pod);
    return flushed;
  }

  /** The pending line if its second is over at `now` (ms on the run's axis), else null. */
  flushIfBefore(now: number): string | null {
    return this.second !== undefined && Math.floor(now / 1000) > this.second ? this.flush() : null;
  }

  flush(): string | null {
    if (this.second === undefined || this.count === 0) return null;
    const classes = ERROR_CLASSES.filter((k) => this.byClass[k])
      .map((k) => `${k} ${this.byClass[k]}`)
      .join(', ');
    const pods = this.pods.size > 0 ? `; pods ${[...this.pods].slice(0, 4).join(', ')}${this.pods.size > 4 ? ` and ${this.pods.size - 4} more` : ''}` : '';
    const line = terminalSafe(
      `${stamp({ run: this.run, t: this.second * 1000 })} ${this.count} request${this.count === 1 ? '' : 's'} failed in this second (${classes}${pods})`,
    );
    this.second = undefined;
    this.count = 0;
    this.byClass = {};
    this.pods = new Set();
    return line;
  }
}
