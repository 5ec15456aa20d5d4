/**
 * Errors a user can cause carry a stable code, a one-line message that says what to do,
 * and the exit code the CLI uses for them. Anything else is a bug and is printed with a
 * stack only under --debug.
 */
export const ExitCode = {
  ok: 0,
  /** Findings at or above --fail-on, or a lab/rollout run that dropped requests. */
  findings: 1,
  /** Usage or input errors. */
  usage: 2,
  /** A lab or rollout run that could not prove anything (load not held, rollout incomplete). */
  inconclusive: 3,
  /** The environment is missing something we need (binary, permission, cluster). */
  environment: 4,
  /** Interrupted by SIGINT/SIGTERM after cleaning up. */
  interrupted: 130,
  /** A bug in zerodrop. */
  internal: 70,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

export class ZerodropError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly position?: SourcePosition;

  constructor(code: string, message: string, options: { exitCode?: ExitCodeValue; position?: SourcePosition; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZerodropError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    if (options.position) this.position = options.position;
  }

  /** `file:line:col: message` when a position is known, else the message. */
  oneLine(): string {
    const p = this.position;
    if (!p) return this.message;
    const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(':');
    return `${where}: ${this.message}`;
  }
}

export function usageError(code: string, message: string, position?: SourcePosition): ZerodropError {
  return new ZerodropError(code, message, position ? { exitCode: ExitCode.usage, position } : { exitCode: ExitCode.usage });
}
