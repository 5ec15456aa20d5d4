/**
 * Errors a user can cause carry a stable code from one catalogue (src/errors/catalogue.ts), a
 * one-line message that says what to do, and the exit code the CLI uses for them; the code fixes
 * the exit code, so two throw sites cannot disagree about it. Anything else is a bug and is
 * printed with a stack only under --debug. docs/errors.md lists every code.
 */
import { ERROR_CATALOGUE, LEGACY_ERROR_CODES, type ErrorCode, type LegacyErrorCode, type UsageErrorCode } from './errors/catalogue.js';

export { ERROR_CATALOGUE, LEGACY_ERROR_CODES, type ErrorCode, type ErrorEntry, type LegacyErrorCode, type UsageErrorCode } from './errors/catalogue.js';

export const ExitCode = {
  ok: 0,
  /** Findings at or above --fail-on, or a lab/rollout run that dropped requests. */
  findings: 1,
  /** Usage or input errors. */
  usage: 2,
  /** A lab or rollout run that could not prove anything (load not held, rollout incomplete, too few requests). */
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
  readonly code: ErrorCode;
  /** The code's previous spelling while it is kept as an alias (e.g. GRACEFUL_INVALID_OPTION). */
  readonly legacyCode?: string;
  readonly exitCode: ExitCodeValue;
  readonly position?: SourcePosition;

  constructor(code: ErrorCode, message: string, options: { position?: SourcePosition; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZerodropError';
    this.code = code;
    const entry = ERROR_CATALOGUE[code];
    if ('replaces' in entry) this.legacyCode = entry.replaces;
    this.exitCode = ExitCode[entry.exit];
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

/** A usage or input error (exit code 2), optionally at a position in an input file. */
export function usageError(code: UsageErrorCode, message: string, position?: SourcePosition): ZerodropError {
  return new ZerodropError(code, message, position ? { position } : {});
}

/**
 * True when `err` is a ZerodropError with `code`, written as the current code or as the legacy
 * spelling it replaced (`hasErrorCode(err, 'GRACEFUL_INVALID_OPTION')` still matches).
 */
export function hasErrorCode(err: unknown, code: ErrorCode | LegacyErrorCode): err is ZerodropError {
  if (!(err instanceof ZerodropError)) return false;
  return err.code === code || err.code === (LEGACY_ERROR_CODES as Record<string, ErrorCode>)[code];
}
