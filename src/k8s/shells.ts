/**
 * What each shell does with the last command of `sh -c SCRIPT`: whether it replaces itself with
 * it (so the command becomes PID 1 and receives the stop signal) or forks it and stays PID 1,
 * where, as namespace init without a handler, it ignores SIGTERM and passes nothing on
 * (docs/reference/signals.md#shell-form-and-exec-form). A script *file* (`sh /start.sh`,
 * `/docker-entrypoint.sh`) is never replaced by its last command in any of them: only `exec` does.
 */
import type { ScriptShape } from './shellScript.js';

export type ShellId = 'dash' | 'bash' | 'busybox-ash';

/**
 * A shell as far as the input tells it: a known shell (`bash` meaning 5.1 or later), bash before
 * 5.1, bash of unknown version, or no shell at all (distroless, scratch). Unknown is `undefined`.
 */
export type ImageShell = ShellId | 'bash-before-5.1' | 'bash-any' | 'none';

export interface ShellKnowledge {
  id: ShellId;
  /** The name messages use. */
  shell: string;
  /** Which last commands of a `-c` script it execs in place of forking. */
  execsLastCommand: (shape: ScriptShape) => boolean;
  /** What it does with the last command of a `-c` script, for messages. */
  lastCommand: string;
  /** Where the behaviour was established. */
  source: string;
}

export const SHELLS: Readonly<Record<ShellId, ShellKnowledge>> = {
  dash: {
    id: 'dash',
    shell: 'dash',
    // Upstream dash skips the fork for the last command of -c since 0.5.7 (2011), but Debian's
    // package turns that off ("Disable sh -c optimisation, fixes SIGPIPE failures"), and Debian and
    // Ubuntu images are where dash is /bin/sh. Measured with dash 0.5.12-2 (Debian 12): a lone
    // `sleep 30` stays a child of sh.
    execsLastCommand: () => false,
    lastCommand: "Debian's dash never execs the last command of a -c script, so sh stays PID 1 unless the script says exec",
    source:
      'measured: dash 0.5.12-2 (Debian 12 /bin/sh) keeps sh as the parent of every command of sh -c unless it is `exec`ed; upstream ChangeLog 2011-07-07 "Optimize dash -c command to avoid a fork", disabled by the Debian package',
  },
  bash: {
    id: 'bash',
    shell: 'bash',
    // bash 5.1+ (evalstring.c should_suppress_fork / optimize_connection_fork): the last simple
    // command of the -c string, also after `;`, `&&`, `||`, unless it has a redirection, is negated,
    // timed, in a pipeline or a compound, or an EXIT/ERR trap or a signal handler is set.
    execsLastCommand: (s) => s.last.kind === 'simple' && !s.last.redirected && !s.last.negatedOrTimed && !s.setsTrapHandler,
    lastCommand: 'bash 5.1 or later execs the last simple command of a -c script (not a pipeline, a redirected command or one under a trap)',
    source: 'https://git.savannah.gnu.org/cgit/bash.git/tree/NEWS (bash-5.1 1.b); measured with bash 5.2.15',
  },
  'busybox-ash': {
    id: 'busybox-ash',
    shell: 'BusyBox ash',
    // BusyBox 1.28 (Alpine 3.8, 2018) took dash's fork-avoiding -c (ash.c: evalstring(minusc,
    // EV_EXIT), no fork unless traps are set). Measured with BusyBox 1.35: the last simple
    // command is exec'd, redirections included.
    execsLastCommand: (s) => s.last.kind === 'simple' && !s.last.negatedOrTimed && !s.setsTrapHandler,
    lastCommand: 'BusyBox ash (1.28 and later) execs the last simple command of a -c script, but not a pipeline or a command under a trap',
    source:
      'https://git.busybox.net/busybox/commit/?id=1e3e2ccd5dd280371c9ca29c0e0304a0d40592af (BusyBox 1.28.0); measured: BusyBox 1.35 ash (Alpine /bin/sh) execs the last simple command of sh -c',
  },
};

/**
 * bash before 5.1 execs only a `-c` script that is one simple command: `cd /app && node server.js`
 * keeps bash as PID 1 there (bash-5.1 NEWS 1.b).
 */
function oldBashExecs(s: ScriptShape): boolean {
  return s.commandCount === 1 && SHELLS.bash.execsLastCommand(s);
}

/**
 * Whether `shell -c SCRIPT` ends with the script's last command as PID 1: true or false when the
 * shell decides it, 'depends' when the image's shell (or bash's version) is unknown and shells differ.
 */
export function shellExecsLastCommand(shell: ImageShell | undefined, shape: ScriptShape): boolean | 'depends' {
  if (shape.last.kind !== 'simple') return false;
  switch (shell) {
    case 'dash':
    case 'bash':
    case 'busybox-ash':
      return SHELLS[shell].execsLastCommand(shape);
    case 'bash-before-5.1':
      return oldBashExecs(shape);
    case 'bash-any':
      return oldBashExecs(shape) === SHELLS.bash.execsLastCommand(shape) ? oldBashExecs(shape) : 'depends';
    case 'none':
      return false;
    default: {
      const answers = new Set([SHELLS.dash.execsLastCommand(shape), SHELLS.bash.execsLastCommand(shape), SHELLS['busybox-ash'].execsLastCommand(shape)]);
      return answers.size === 1 ? [...answers][0]! : 'depends';
    }
  }
}

/**
 * The shell a `-c` invocation runs: `sh` is the image's /bin/sh; `bash` is bash, of the version the
 * image's /bin/sh tells when that is bash, else of unknown version.
 */
export function shellNamed(executable: string, imageShell: ImageShell | undefined): ImageShell | undefined {
  if (executable === 'bash') return imageShell === 'bash-before-5.1' || imageShell === 'bash' ? imageShell : 'bash-any';
  if (executable === 'dash') return 'dash';
  if (executable === 'ash') return 'busybox-ash';
  return imageShell;
}

/** How messages name a shell. */
export function shellLabel(shell: ImageShell | undefined, invoked: string): string {
  if (shell === 'dash' || shell === 'bash' || shell === 'busybox-ash') return invoked === SHELLS[shell].shell ? invoked : `${invoked} (${SHELLS[shell].shell})`;
  if (shell === 'bash-before-5.1') return `${invoked} (bash < 5.1)`;
  if (shell === 'bash-any' && invoked !== 'bash') return `${invoked} (bash)`;
  return invoked;
}

/**
 * Why a shell stays PID 1 for this script, for messages: the shell's own rule for the last
 * command, or that no shell execs a loop, a pipeline or a background job.
 */
export function whyShellStays(shell: ImageShell | undefined, shape: ScriptShape | undefined): string {
  if (shell === 'none') return 'the image has no shell at all';
  if (shape && shape.last.kind !== 'simple') return 'no shell execs a loop, a pipeline or a background job in place of itself';
  if (shell === 'dash' || shell === 'bash' || shell === 'busybox-ash') return SHELLS[shell].lastCommand;
  if (shell === 'bash-before-5.1') return 'bash before 5.1 execs only a -c script that is one simple command';
  if (shell === 'bash-any') return 'bash before 5.1 execs only a -c script that is one simple command, and the version is not known';
  return 'the shell does not exec it';
}
