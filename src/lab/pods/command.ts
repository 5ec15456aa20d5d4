import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { usageError, ZerodropError } from '../../errors.js';
import { terminalSafe } from '../../terminalText.js';

/**
 * Splits a command line the way a shell would split words (quotes and backslashes), without
 * running a shell: the lab execs the program directly, like a Dockerfile's exec form, so the
 * container's main process is the program itself and receives the stop signal (docs/reference/pod-termination.md#pid-1-only).
 * Write `sh -c '…'` to get a shell on purpose (and its signal gotchas, docs/reference/signals.md#pid-1).
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length && /["\\$`]/.test(line[i + 1]!)) cur += line[++i];
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw usageError('lab-bad-command', `unterminated ${quote} quote in command: ${line}`);
  if (inWord) words.push(cur);
  return words;
}

export interface ProgramCheck {
  /** The container and image the command runs for, for the message. */
  container: string;
  image: string;
  /** What the user maps the image by in `--run NAME=COMMAND`. */
  mapping: string;
  /** The containers' working directory: relative programs and PATH entries resolve from it. */
  cwd: string;
  path?: string;
}

/**
 * The program a container runs must exist on this machine before any pod starts. An empty
 * command, or a program that is not an executable file (by its path, or found on PATH), is an
 * environment error naming the container and what to do, instead of a crash loop that the run
 * would give up on as inconclusive.
 */
export function checkProgram(argv: readonly string[], check: ProgramCheck): void {
  const who = `container ${check.container} (image ${check.image})`;
  const remedy = `map the image to a program that exists here with --run ${check.mapping}=COMMAND or an images: entry in the lab file`;
  const program = argv[0];
  // The names come from the manifest and the command line: the one-line message is terminal-safe.
  const fail = (code: 'lab-empty-command' | 'lab-command-not-found', message: string) => new ZerodropError(code, terminalSafe(message));
  if (program === undefined || program.trim() === '') throw fail('lab-empty-command', `${who}: the command the lab runs for this image is empty; ${remedy}`);
  if (findProgram(program, check.cwd, check.path ?? process.env.PATH ?? '/usr/bin:/bin') === undefined)
    throw fail(
      'lab-command-not-found',
      `${who}: ${program} is not an executable file ${program.includes('/') ? `(looked from ${check.cwd})` : 'on PATH'}; install it, or ${remedy}`,
    );
}

/** Where exec would find `program`: a path with a slash as given (from `cwd`), a bare name on PATH. */
export function findProgram(program: string, cwd: string, searchPath: string): string | undefined {
  const candidates = program.includes('/')
    ? [path.resolve(cwd, program)]
    : searchPath
        .split(path.delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => path.resolve(cwd, dir, program));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
