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
  /** Where the behaviour was established. */
  source: string;
}

export const SHELLS: Readonly<Record<ShellId, ShellKnowledge>> = {
  dash: {
    id: 'dash',
    shell: 'dash',
    // Measured with dash 0.5.12 (Debian 12's /bin/sh): a lone `sleep 30` stays a child of sh.
    execsLastCommand: () => false,
    source: 'measured: dash 0.5.12 (Debian 12 /bin/sh) keeps sh as the parent of every command of sh -c unless it is `exec`ed',
  },
  bash: {
    id: 'bash',
    shell: 'bash',
    // bash 5.1+ (evalstring.c should_suppress_fork / optimize_connection_fork): the last simple
    // command of the -c string, also after `;`, `&&`, `||`, unless it has a redirection, is negated,
    // timed, in a pipeline or a compound, or an EXIT/ERR trap or a signal handler is set.
    execsLastCommand: (s) => s.last.kind === 'simple' && !s.last.redirected && !s.last.negatedOrTimed && !s.setsTrapHandler,
    source: 'https://git.savannah.gnu.org/cgit/bash.git/tree/NEWS (bash-5.1 1.b); measured with bash 5.2.15',
  },
  'busybox-ash': {
    id: 'busybox-ash',
    shell: 'BusyBox ash',
    // Measured with BusyBox 1.35: the last simple command is exec'd, redirections included.
    execsLastCommand: (s) => s.last.kind === 'simple' && !s.last.negatedOrTimed && !s.setsTrapHandler,
    source: 'measured: BusyBox 1.35 ash (Alpine /bin/sh) execs the last simple command of sh -c',
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
