/**
 * Turning PATH arguments into texts to audit: files, recursive directories, `-` for stdin and
 * kustomize directories rendered by `kubectl kustomize`. This is the audit's only file-system
 * reader; everything after it works on `Source` texts.
 */
import {
  constants,
  createReadStream,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { Socket } from 'node:net';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ErrorCode } from '../errors.js';
import type { InputError } from './types.js';
import { runBounded } from './boundedCommand.js';
import { describeFsError } from './fsError.js';
import { estimateYamlNodes } from './yamlSource.js';
import type { DocumentOrigin } from './origins/kustomizeBuild.js';

export type SourceKind = 'yaml' | 'dockerfile';
/** Where a text came from: a plain file keeps its own positions; stdin and kustomize output are rendered streams. */
export type SourceOrigin = 'file' | 'stdin' | 'kustomize';

export interface Source {
  /** What findings name: the path as given (relative to cwd), `-` for stdin, the directory for kustomize output. */
  file: string;
  /** Real path of a regular file (what --fix-in-place writes); absent for pipes and devices. */
  path?: string;
  text: string;
  kind: SourceKind;
  origin: SourceOrigin;
  /** Set when the bytes were UTF-16 with a byte-order mark (decoded into `text`); --fix-in-place writes the same encoding back. */
  encoding?: 'utf-16le' | 'utf-16be';
  /** Kustomize output: where each document (by index in the stream) was read from and what transformed it. */
  kustomize?: { documents: DocumentOrigin[] };
}

/** Files larger than this are refused with one line instead of being parsed: bounded memory and time (yaml parses ~1 MiB/s with positions; the 10k-pair benchmark stream is 11 MiB). */
export const MAX_SOURCE_BYTES = 32 * 1024 * 1024;

/**
 * YAML nodes (estimated by `estimateYamlNodes`) one run reads across all its inputs. At about
 * 0.5 KiB of heap per counted node, a run at the limit holds 1.5 GiB (measured: 1.4 GiB resident
 * for 1.5 million block list items, 1.5 million flow list items or a million flow pairs), inside
 * Node's default heap on a machine with 8 GiB or more; past it an input is refused with one line
 * instead of the process dying of an out-of-memory crash. That is the worst case, one document
 * that large, whose tree is alive while it is composed; a stream of many documents holds one tree
 * at a time (24,000 benchmark pairs, at the limit, peak at 0.86 GB resident). The 10,000-pair
 * benchmark stream is 1.2 million.
 */
export const MAX_YAML_NODES = 3_000_000;

/** `kubectl kustomize` gets this long (remote bases may be fetched) and this much output. */
export const KUSTOMIZE_TIMEOUT_MS = 120_000;

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'vendor']);

/** Which audit input a file name is, or undefined when the directory walk ignores it. */
export function sourceKindOf(fileName: string): SourceKind | undefined {
  const name = basename(fileName);
  if (/\.(ya?ml|json)$/i.test(name)) return 'yaml';
  if (name === 'Dockerfile' || name === 'Containerfile' || /\.(Dockerfile|Containerfile)$/i.test(name) || /^(Dockerfile|Containerfile)\./.test(name))
    return 'dockerfile';
  return undefined;
}

export function kustomizationIn(dir: string): string | undefined {
  for (const f of KUSTOMIZATION_FILES) {
    const p = join(dir, f);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export interface CollectOptions {
  /** Reads stdin for `-`; injectable for tests. Return at most MAX_SOURCE_BYTES + 1 bytes. */
  readStdin?: () => Promise<string | Buffer>;
  /** kubectl binary for kustomize directories (default: `kubectl` on PATH). */
  kubectl?: string;
  /** Deadline for one `kubectl kustomize` (default KUSTOMIZE_TIMEOUT_MS). */
  kustomizeTimeoutMs?: number;
  cwd?: string;
}

export interface CollectedSources {
  sources: Source[];
  errors: InputError[];
}

/** What one collection has read so far: files by real path (each read once), walked directories, the node budget. */
interface Walk {
  out: CollectedSources;
  display: (p: string) => string;
  files: Set<string>;
  directories: Set<string>;
  nodes: number;
}

export async function collectSources(paths: readonly string[], options: CollectOptions = {}): Promise<CollectedSources> {
  const out: CollectedSources = { sources: [], errors: [] };
  const cwd = options.cwd ?? process.cwd();
  const display = (p: string) => {
    const r = relative(cwd, p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const walk: Walk = { out, display, files: new Set(), directories: new Set(), nodes: 0 };
  let stdinUsed = false;
  for (const arg of paths) {
    if (arg === '-') {
      if (stdinUsed) continue;
      stdinUsed = true;
      const raw = await (options.readStdin ?? (() => readBounded(process.stdin)))();
      const buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      addBytes(walk, { file: '-', origin: 'stdin' }, buf, undefined);
      continue;
    }
    const abs = isAbsolute(arg) ? arg : join(cwd, arg);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      out.errors.push(unreadable(arg, err, abs));
      continue;
    }
    if (st.isDirectory()) {
      const kustomizations: Array<{ dir: string; shown: string }> = [];
      walkDirectory(abs, arg, walk, true, kustomizations);
      const outermost = outermostKustomizations(kustomizations);
      // Loaded only for kustomize directories.
      const build = outermost.length > 0 ? await import('./origins/kustomizeBuild.js') : undefined;
      for (const k of outermost) await renderKustomization(k.dir, k.shown, walk, options, build!);
    } else if (st.isFile()) addFile(abs, arg, walk, sourceKindOf(abs));
    else await addStream(abs, arg, walk, st);
  }
  return out;
}

function walkDirectory(abs: string, shown: string, walk: Walk, top: boolean, kustomizations: Array<{ dir: string; shown: string }>): void {
  // Each directory once, by real path: a symbolic link back up the tree ends here instead of looping.
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (err) {
    walk.out.errors.push(unreadable(shown, err, abs));
    return;
  }
  if (walk.directories.has(real)) return;
  walk.directories.add(real);
  // A kustomization is rendered as a whole (later), never read file by file.
  if (kustomizationIn(abs)) {
    kustomizations.push({ dir: abs, shown: top ? shown : walk.display(abs) });
    return;
  }
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    walk.out.errors.push({ file: shown, code: 'input-unreadable', message: `cannot read directory: ${describeFsError(err)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const child = join(abs, e.name);
    let isDirectory = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      // Followed like the file or directory it names; a link that names nothing is reported.
      let target: Stats;
      try {
        target = statSync(child);
      } catch (err) {
        if (sourceKindOf(e.name)) walk.out.errors.push(unreadable(walk.display(child), err, child));
        continue;
      }
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDirectory) {
      if (SKIPPED_DIRECTORIES.has(e.name) || e.name.startsWith('.')) continue;
      walkDirectory(child, walk.display(child), walk, false, kustomizations);
    } else if (isFile) {
      const kind = sourceKindOf(e.name);
      // The audit's own config is YAML but never a manifest.
      if (kind && e.name !== '.zerodrop.yaml' && e.name !== '.zerodrop.yml') addFile(child, walk.display(child), walk, kind);
    }
  }
}

/** `kind` undefined: a file named explicitly with an unknown name; its text decides. */
function addFile(abs: string, shown: string, walk: Walk, kind: SourceKind | undefined): void {
  let real: string;
  let size: number;
  try {
    real = realpathSync(abs);
    size = statSync(real).size;
  } catch (err) {
    walk.out.errors.push(unreadable(shown, err, abs));
    return;
  }
  if (walk.files.has(real)) return;
  walk.files.add(real);
  if (size > MAX_SOURCE_BYTES) {
    walk.out.errors.push(tooLarge(shown, `${Math.round(size / 1048576)} MiB`));
    return;
  }
  let buf: Buffer;
  try {
    buf = readFileSync(real);
  } catch (err) {
    walk.out.errors.push(unreadable(shown, err, abs));
    return;
  }
  addBytes(walk, { file: shown, path: real, origin: 'file' }, buf, kind);
}

/**
 * A FIFO, a character device or a process substitution (`<(helm template .)`) named as a PATH:
 * read like stdin, with the same size bound, so `/dev/zero` is one error instead of a hang.
 */
async function addStream(abs: string, shown: string, walk: Walk, st: Stats): Promise<void> {
  if (st.isSocket()) {
    walk.out.errors.push({ file: shown, code: 'input-unreadable', message: 'cannot read: a socket, not a file' });
    return;
  }
  let buf: Buffer;
  try {
    buf = await readBounded(st.isFIFO() ? fifoStream(abs) : createReadStream(abs));
  } catch (err) {
    walk.out.errors.push(unreadable(shown, err, abs));
    return;
  }
  // Positions are the stream's own, but without a `path`: --fix-in-place never writes to a pipe or a device.
  addBytes(walk, { file: shown, origin: 'file' }, buf, sourceKindOf(abs));
}

/**
 * A FIFO read through the event loop instead of the thread pool: a read blocked in a pool thread
 * (a writer that never writes) keeps Node from exiting even after process.exit(), so SIGINT and
 * SIGTERM would not end the audit. Opened without blocking, it still waits for a writer that has
 * not connected yet: Linux reports no end of file until a writer has come and gone.
 */
function fifoStream(abs: string): Socket {
  return new Socket({ fd: openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
}

/** Reads a stream up to MAX_SOURCE_BYTES + 1 bytes, then stops (the caller reports the overflow). */
export async function readBounded(stream: AsyncIterable<unknown>, limit = MAX_SOURCE_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early destroys the stream: an endless producer stops here.
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(b);
    total += b.length;
    if (total > limit) break;
  }
  return Buffer.concat(chunks);
}

function addBytes(walk: Walk, where: Pick<Source, 'file' | 'path' | 'origin' | 'kustomize'>, buf: Buffer, kind: SourceKind | undefined): void {
  const out = walk.out;
  if (buf.length > MAX_SOURCE_BYTES) {
    out.errors.push(tooLarge(where.file, where.origin === 'file' ? `${Math.round(buf.length / 1048576)} MiB` : undefined));
    return;
  }
  const decoded = decodeText(buf);
  if ('problem' in decoded) {
    out.errors.push({ file: where.file, code: decoded.code, message: decoded.problem });
    return;
  }
  const text = decoded.text;
  const resolvedKind = kind ?? (looksLikeDockerfile(text.slice(0, 4096)) ? 'dockerfile' : 'yaml');
  if (resolvedKind === 'yaml') {
    const nodes = estimateYamlNodes(text);
    if (walk.nodes + nodes > MAX_YAML_NODES) {
      out.errors.push({
        file: where.file,
        code: 'input-too-many-nodes',
        message:
          walk.nodes === 0
            ? `about ${(nodes / 1e6).toFixed(1)} million YAML nodes, more than one run reads (${MAX_YAML_NODES / 1e6} million); split it and audit the parts separately`
            : `not read: with it this run would hold about ${((walk.nodes + nodes) / 1e6).toFixed(1)} million YAML nodes, more than one run reads (${MAX_YAML_NODES / 1e6} million); audit fewer inputs at a time`,
      });
      return;
    }
    walk.nodes += nodes;
  }
  const source: Source = { ...where, text, kind: resolvedKind };
  if (decoded.encoding) source.encoding = decoded.encoding;
  out.sources.push(source);
}

/**
 * Bytes to text the way kubectl reads files: UTF-8 (with or without a byte-order mark) and UTF-16
 * with one (kubectl decodes through a BOM override); anything else with NUL bytes is binary.
 */
export function decodeText(buf: Buffer): { text: string; encoding?: 'utf-16le' | 'utf-16be' } | { problem: string; code: 'input-not-text' } {
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0 && buf[3] === 0)
    return { code: 'input-not-text', problem: 'UTF-32 text, which kubectl does not read; save it as UTF-8' };
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    const body = Buffer.from(buf.subarray(2, buf.length - (buf.length % 2)));
    if (!le) body.swap16();
    const text = body.toString('utf16le');
    if (text.includes('\0')) return { code: 'input-not-text', problem: 'binary file, not YAML, JSON or a Dockerfile; skipped' };
    return { text, encoding: le ? 'utf-16le' : 'utf-16be' };
  }
  if (isBinary(buf))
    return looksLikeUtf16WithoutBom(buf)
      ? { code: 'input-not-text', problem: 'UTF-16 text without a byte-order mark, which kubectl does not read; save it as UTF-8 (or UTF-16 with a BOM)' }
      : { code: 'input-not-text', problem: 'binary file, not YAML, JSON or a Dockerfile; skipped' };
  return { text: buf.toString('utf8') };
}

/** ASCII text in UTF-16 has a NUL in every other byte, all on one side. */
function looksLikeUtf16WithoutBom(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192) & ~1;
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) even++;
    if (buf[i + 1] === 0) odd++;
  }
  const half = n / 2;
  return (odd > half * 0.9 && even === 0) || (even > half * 0.9 && odd === 0);
}

function tooLarge(file: string, size: string | undefined): InputError {
  const limit = `${MAX_SOURCE_BYTES / 1048576} MiB`;
  return {
    file,
    code: 'input-too-large',
    message: size ? `file too large to audit (${size}; limit ${limit})` : `input too large to audit (more than the ${limit} limit); none of it was audited`,
  };
}

function unreadable(file: string, err: unknown, abs: string): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ELOOP') {
    // A name that exists as a link, but whose target does not (or loops), says so.
    try {
      if (lstatSync(abs).isSymbolicLink())
        return {
          file,
          code: 'input-unreadable',
          message: code === 'ELOOP' ? 'symbolic link loop; skipped' : `broken symbolic link (to ${readlinkSync(abs)}); skipped`,
        };
    } catch {}
  }
  return { file, code: 'input-unreadable', message: `cannot read: ${describeFsError(err)}` };
}

/** A NUL byte in the first 8 KiB, as git and grep decide. */
export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

function looksLikeDockerfile(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return first !== undefined && /^\s*(FROM|ARG)\s/i.test(first) && !/^\s*\w+:\s/.test(first);
}

/**
 * Kustomizations that no other one in the walk includes: rendering `overlays/prod` already renders
 * the `base` it lists, so rendering `base` too would audit every object twice.
 */
export function outermostKustomizations<T extends { dir: string }>(found: readonly T[]): T[] {
  if (found.length < 2) return [...found];
  const included = new Set<string>();
  for (const k of found) {
    const file = kustomizationIn(k.dir);
    if (!file) continue;
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // kubectl will report it when rendering
    }
    if (!doc || typeof doc !== 'object') continue;
    const d = doc as Record<string, unknown>;
    for (const key of ['resources', 'bases', 'components']) {
      const list = d[key];
      if (!Array.isArray(list)) continue;
      for (const entry of list) if (typeof entry === 'string') included.add(resolve(k.dir, entry));
    }
  }
  return found.filter((k) => !included.has(resolve(k.dir)));
}

/**
 * Renders through a temporary wrapper kustomization that asks kustomize for build metadata, so
 * findings can name the file that wrote each field (src/audit/origins). When that render exits
 * with an error (a kustomize without buildMetadata, or a broken kustomization), the directory is
 * rendered as the user would, so errors name the user's paths and old kustomize versions still
 * work. Both renders are bounded in time and output.
 */
async function renderKustomization(
  dir: string,
  shown: string,
  walk: Walk,
  options: CollectOptions,
  build: typeof import('./origins/kustomizeBuild.js'),
): Promise<void> {
  const out = walk.out;
  const kubectl = options.kubectl ?? 'kubectl';
  const timeoutMs = options.kustomizeTimeoutMs ?? KUSTOMIZE_TIMEOUT_MS;
  const bounds = { timeoutMs, maxStdoutBytes: MAX_SOURCE_BYTES };
  let wrapper: ReturnType<typeof build.writeWrapperKustomization> | undefined;
  try {
    wrapper = build.writeWrapperKustomization(dir);
  } catch {
    wrapper = undefined;
  }
  let res: Awaited<ReturnType<typeof runBounded>> | undefined;
  if (wrapper) {
    try {
      res = await runBounded(kubectl, ['kustomize', wrapper.dir], bounds);
    } finally {
      wrapper.remove();
    }
    if (res.kind === 'exited' && res.status === 0) {
      const { text, documents } = build.stripBuildMetadata(res.stdout.toString('utf8'), wrapper.dir);
      addBytes(walk, { file: shown, origin: 'kustomize', kustomize: { documents } }, Buffer.from(text, 'utf8'), 'yaml');
      return;
    }
  }
  // A timeout, missing kubectl or oversized output would only repeat: report the traced attempt's.
  if (!res || res.kind === 'exited' || res.kind === 'failed') res = await runBounded(kubectl, ['kustomize', dir], bounds);
  const fail = (code: ErrorCode, message: string) => out.errors.push({ file: shown, code, message });
  switch (res.kind) {
    case 'missing':
      return void fail(
        'kubectl-missing',
        `is a kustomize directory but ${kubectl === 'kubectl' ? 'kubectl is not on PATH' : `${kubectl} was not found`}; install kubectl, or render it yourself and pipe it in: kustomize build ${shown} | zerodrop audit -`,
      );
    case 'timeout':
      return void fail('kustomize-timeout', `kubectl kustomize did not finish within ${Math.round(res.afterMs / 1000)} s; stopped it`);
    case 'too-large':
      return void fail('input-too-large', `kubectl kustomize printed more than ${res.limitBytes / 1048576} MiB; stopped it`);
    case 'failed':
      return void fail('kustomize-failed', `kubectl kustomize failed: ${res.message}`);
  }
  if (res.status !== 0) {
    const why = res.stderr
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('# Warning'))
      .join(' ')
      .trim();
    return void fail('kustomize-failed', `kubectl kustomize failed: ${why || `exit ${res.status}`}`);
  }
  addBytes(walk, { file: shown, origin: 'kustomize' }, res.stdout, 'yaml');
}
