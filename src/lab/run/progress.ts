import type { ZerodropEvent } from '../../events/schema.js';

/**
 * Plain progress for a run, derived from the event stream only: pods by state, requests per
 * second, failures so far. On a TTY one line is rewritten in place; otherwise a line every
 * `everyMs` (CI logs stay short).
 */
export function createProgressPrinter(out: NodeJS.WritableStream & { isTTY?: boolean }, everyMs = 2000): { listener: (e: ZerodropEvent) => void; done(): void } {
  const tty = out.isTTY === true;
  const pods = new Map<string, string>();
  let failures = 0;
  let lastSent = 0;
  let lastPrinted = -Infinity;
  let run = '';
  let wroteInline = false;
  let rollout = '';
  const line = (t: number): string => {
    const counts = new Map<string, number>();
    for (const phase of pods.values()) counts.set(phase, (counts.get(phase) ?? 0) + 1);
    const podText = ['ready', 'started', 'created', 'terminating', 'not-ready']
      .filter((p) => counts.get(p))
      .map((p) => `${counts.get(p)} ${p === 'started' || p === 'created' ? 'starting' : p}`)
      .join(', ');
    return `  ${run.padEnd(16)} ${(t / 1000).toFixed(1).padStart(5)}s  pods: ${podText || '-'}  ${lastSent} rps  failed: ${failures}${rollout ? `  ${rollout}` : ''}`;
  };
  const listener = (e: ZerodropEvent): void => {
    switch (e.type) {
      case 'run-start':
        run = e.run;
        pods.clear();
        failures = 0;
        rollout = '';
        return;
      case 'pod':
        if (e.phase === 'deleted') pods.delete(e.pod);
        else if (e.phase !== 'available' && e.phase !== 'exited') pods.set(e.pod, e.phase === 'not-ready' && pods.get(e.pod) === 'terminating' ? 'terminating' : e.phase);
        return;
      case 'rollout':
        if (e.action === 'start') rollout = 'rolling out';
        if (e.action === 'complete') rollout = 'rollout complete';
        if (e.action === 'deadline-exceeded') rollout = 'progress deadline exceeded';
        return;
      case 'request':
        if (e.error) failures++;
        return;
      case 'load':
        lastSent = e.sent;
        if (tty) {
          out.write(`\r\x1b[K${line(e.t)}`);
          wroteInline = true;
        } else if (e.t - lastPrinted >= everyMs) {
          out.write(`${line(e.t)}\n`);
          lastPrinted = e.t;
        }
        return;
      default:
        return;
    }
  };
  return {
    listener,
    done: () => {
      if (tty && wroteInline) out.write('\r\x1b[K');
      wroteInline = false;
    },
  };
}
