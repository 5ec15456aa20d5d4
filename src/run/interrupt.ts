/**
 * How every zerodrop command answers SIGINT (Ctrl-C) and SIGTERM (CI runners, kubectl, timeout):
 * exit code 130 whichever signal came, after cleaning up what it started.
 *
 * Runs that own processes and a cluster's attention (lab, rollout) take two signals: the first
 * aborts the run, which stops cleanly (teardown, pods reaped, the event file closed) and ends
 * with 130; the second forces the exit at once after the caller's `force` hook (kill what is
 * left). Short commands (audit) stop at the first signal. Either way, output files not yet in
 * place are removed, never left half-written.
 *
 * This is the one place a command exits from inside: an interrupt has no caller to return to.
 */
import { ExitCode } from '../errors.js';
import { discardPendingOutputs } from '../output/outputFiles.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface Interrupt {
  /** Aborts at the first signal; pass it to the run. */
  signal: AbortSignal;
  /** True once a signal arrived: the command ends with ExitCode.interrupted. */
  readonly interrupted: boolean;
  /** Removes the handlers (the run is over). */
  dispose(): void;
}

export interface InterruptOptions {
  /** What the first signal stops, written to stderr (`SIGTERM: stopping the lab…`). */
  stopping: (signal: NodeJS.Signals) => string;
  /** Kills whatever is still running before a forced exit (the second signal). */
  force?: () => void;
  write?: (line: string) => void;
}

/** Installs the two-signal protocol for a run; dispose() it when the run is over. */
export function handleInterrupts(options: InterruptOptions): Interrupt {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (abort.signal.aborted) {
      write(`${sig} again: forcing exit`);
      options.force?.();
      exitInterrupted();
    }
    write(`\n${options.stopping(sig)}`);
    abort.abort();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: abort.signal,
    get interrupted() {
      return abort.signal.aborted;
    },
    dispose: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}

/** For commands with nothing to stop cleanly: the first signal exits with 130 (after removing temporary outputs). */
export function exitOnInterrupt(): () => void {
  const onSignal = (): void => exitInterrupted();
  for (const s of SIGNALS) process.on(s, onSignal);
  return () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
}

function exitInterrupted(): never {
  discardPendingOutputs();
  process.exit(ExitCode.interrupted);
}
