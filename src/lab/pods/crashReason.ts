import type { ContainerExit } from './containerProcess.js';

/** How a process ended, in the words `kubectl describe pod` uses for a terminated container. */
export function describeExit(exit: ContainerExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? '?'}`;
}

/** Stack frames, carets, bare punctuation and runtime footers: lines that never say why. */
const NOISE = /^\s+(at\s|File "|\S+\.(go|rs|py|rb|java):\d+)|^\s*[\^~]+\s*$|^[\s{}()[\],;]*$|^Node\.js v\d/;
/** A thrown error's first line: `Error: …`, `TypeError: …`, `OSError: [Errno 98] …`, `java.net.BindException: …`. */
const THROWN = /^\s*(Uncaught\s+)?([\w$]+\.)*\w*(Error|Exception)\b( \[[\w-]+\])?:/;
/** A log line at a fatal level: Go's `panic:`, nginx's `[emerg]`, `FATAL`, `error:`. */
const FATAL = /\b(panic|fatal|emerg|crit|error)\b/i;
const MAX_LENGTH = 300;

/**
 * The line of a crashed process's output that says why it crashed: the last thrown error's
 * headline, else the last fatal-level log line, else the last line that is not a stack frame.
 * A runtime's crash output ends with frames and footers (Node prints the error's fields and its
 * version last), so the last line alone rarely explains anything.
 */
export function crashHeadline(lines: readonly string[]): string | undefined {
  const meaningful = lines.filter((l) => l.trim() !== '' && !NOISE.test(l));
  const line = meaningful.findLast((l) => THROWN.test(l)) ?? meaningful.findLast((l) => FATAL.test(l)) ?? meaningful.at(-1);
  if (line === undefined) return undefined;
  const trimmed = line.trim();
  return trimmed.length > MAX_LENGTH ? `${trimmed.slice(0, MAX_LENGTH - 1)}…` : trimmed;
}

/**
 * Why a container exited on its own: the line of its stderr (or, when it wrote nothing there, of
 * its stdout) that explains it, and one line saying how it ended and why.
 */
export function explainCrash(exit: ContainerExit, stderr: readonly string[], stdout: readonly string[]): { reason: string; headline?: string } {
  const headline = crashHeadline(stderr) ?? crashHeadline(stdout);
  return headline ? { reason: `${describeExit(exit)}: ${headline}`, headline } : { reason: describeExit(exit) };
}
