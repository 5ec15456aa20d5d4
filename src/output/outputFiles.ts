/**
 * One policy for every file zerodrop writes (--json, --events, --report, --output, -o), checked
 * before any work starts so that a bad path costs nothing:
 *
 * - an existing file is refused unless --force;
 * - a file the command reads (an input, a manifest inside an input directory) is refused even
 *   with --force, and so are two outputs naming the same file;
 * - a directory, a missing directory or a path without write permission is a usage error.
 *
 * Each output is written to a temporary file beside it and renamed into place when complete, so
 * an interrupted or failed run never leaves a half-written file, and without --force the final
 * step refuses a file that appeared in the meantime.
 */
import {
  closeSync,
  createWriteStream,
  linkSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
  type WriteStream,
} from 'node:fs';
import path from 'node:path';
import { ZerodropError } from '../errors.js';

export interface OutputRequest {
  /** The flag that named the file, for messages (`--json`). */
  flag?: string;
  path: string;
}

export interface OutputInputs {
  /** Files and directories the command reads. */
  paths: readonly string[];
  /** Which files inside an input directory the command reads (default: YAML and JSON files). */
  readsFromDirectory?: (fileName: string) => boolean;
}

export interface OutputPolicy {
  force: boolean;
  inputs?: OutputInputs;
}

const YAML_OR_JSON = (name: string): boolean => /\.(ya?ml|json)$/i.test(name);

/** Temporary files not yet renamed into place, removed if the process is forced to exit. */
const pending = new Set<string>();

/** A claimed output: checked, with a reserved temporary file beside it. */
export class OutputFile {
  private committed = false;

  constructor(
    /** How messages name this output: `--json out.json`. */
    readonly label: string,
    readonly path: string,
    private readonly tempPath: string,
    private readonly force: boolean,
  ) {}

  /** Writes the whole content and moves it into place. */
  write(text: string): void {
    writeFileSync(this.tempPath, text);
    this.commit();
  }

  /** A stream onto the temporary file; call `commit()` once it has finished. */
  stream(): WriteStream {
    return createWriteStream(this.tempPath, { flags: 'w' });
  }

  /** Moves the temporary file into place (atomically; without --force never over a file that appeared meanwhile). */
  commit(): void {
    if (this.committed) return;
    this.committed = true;
    pending.delete(this.tempPath);
    try {
      if (this.force) renameSync(this.tempPath, this.path);
      else {
        linkSync(this.tempPath, this.path);
        rmSync(this.tempPath, { force: true });
      }
    } catch (err) {
      rmSync(this.tempPath, { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new ZerodropError('output-exists', `${this.label} appeared while zerodrop ran; nothing was written over it (pass --force to replace it)`);
      throw new ZerodropError('output-unwritable', `cannot write ${this.label}: ${code ?? (err as Error).message}`, { cause: err });
    }
  }

  /** Removes the temporary file; the output is not written. */
  discard(): void {
    if (this.committed) return;
    this.committed = true;
    pending.delete(this.tempPath);
    rmSync(this.tempPath, { force: true });
  }
}

/**
 * Checks every requested output against the policy and reserves a temporary file for each (in
 * the order requested), or throws the first violation (a ZerodropError with exit code 2).
 * Nothing is written yet.
 */
export function claimOutputs(requests: readonly OutputRequest[], policy: OutputPolicy): OutputFile[] {
  const claimed: OutputFile[] = [];
  try {
    const seen = new Map<string, string>();
    for (const r of requests) {
      const target = path.resolve(r.path);
      const label = r.flag ? `${r.flag} ${r.path}` : r.path;
      const other = seen.get(target);
      if (other !== undefined) throw new ZerodropError('output-conflict', `${label} is also ${other}; give each output its own file`);
      seen.set(target, label);
      const input = inputItIs(target, policy.inputs);
      if (input) throw new ZerodropError('output-conflict', `${label} is ${input}, which zerodrop reads; it never writes over an input, even with --force`);
      const existing = statOrUndefined(target);
      if (existing?.isDirectory()) throw new ZerodropError('output-unwritable', `${label} is a directory; name a file`);
      if (existing && !policy.force) throw new ZerodropError('output-exists', `${label} already exists; pass --force to replace it, or choose another file`);
      claimed.push(reserve(label, target, policy.force));
    }
    return claimed;
  } catch (err) {
    for (const c of claimed) c.discard();
    throw err;
  }
}

/** Claims one output and writes it at once (for commands whose output is ready in one piece). */
export function writeOutputFile(request: OutputRequest, text: string, policy: OutputPolicy): void {
  claimOutputs([request], policy)[0]!.write(text);
}

/** Removes every temporary output file not yet in place (a forced exit cannot finish them). */
export function discardPendingOutputs(): void {
  for (const p of pending) rmSync(p, { force: true });
  pending.clear();
}

function reserve(label: string, target: string, force: boolean): OutputFile {
  const dir = path.dirname(target);
  const dirStat = statOrUndefined(dir);
  if (!dirStat) throw new ZerodropError('output-unwritable', `${label}: directory ${dir} does not exist`);
  if (!dirStat.isDirectory()) throw new ZerodropError('output-unwritable', `${label}: ${dir} is not a directory`);
  // The Web Crypto global loads node:crypto only when a file is claimed: every command imports
  // this module (run/interrupt.ts), and an audit writing to stdout should not pay for it.
  const nonce = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4))).toString('hex');
  const tempPath = path.join(dir, `.${path.basename(target)}.${process.pid}.${nonce}.tmp`);
  try {
    closeSync(openSync(tempPath, 'wx'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : (code ?? (err as Error).message);
    throw new ZerodropError('output-unwritable', `cannot write ${label}: ${why} (in ${dir})`, { cause: err });
  }
  pending.add(tempPath);
  return new OutputFile(label, target, tempPath, force);
}

/** Describes the input `target` is ("an input", "a file inside the input directory k8s"), or undefined when it is none. */
function inputItIs(target: string, inputs: OutputInputs | undefined): string | undefined {
  if (!inputs) return undefined;
  const reads = inputs.readsFromDirectory ?? YAML_OR_JSON;
  const targetStat = statOrUndefined(target);
  for (const input of inputs.paths) {
    const abs = path.resolve(input);
    const st = statOrUndefined(abs);
    if (st && !st.isDirectory()) {
      if (abs === target || (targetStat && sameFile(st, targetStat))) return abs === target ? 'an input' : `the input ${input}`;
    } else if (st?.isDirectory() && reads(path.basename(target)) && isInside(realDir(path.dirname(target)), realDir(abs))) {
      return `a file inside the input directory ${input}`;
    } else if (!st && abs === target) {
      return 'an input';
    }
  }
  return undefined;
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function isInside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The directory with symlinks resolved where it exists, so `./k8s` and a link to it compare equal. */
function realDir(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return dir;
  }
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
