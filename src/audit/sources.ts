/**
 * Turning PATH arguments into texts to audit: files, recursive directories, `-` for stdin and
 * kustomize directories rendered by `kubectl kustomize`. This is the audit's only file-system
 * reader; everything after it works on `Source` texts.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { InputError } from './types.js';

export type SourceKind = 'yaml' | 'dockerfile';
/** Where a text came from: a plain file keeps its own positions; stdin and kustomize output are rendered streams. */
export type SourceOrigin = 'file' | 'stdin' | 'kustomize';

export interface Source {
  /** What findings name: the path as given (relative to cwd), `-` for stdin, the directory for kustomize output. */
  file: string;
  /** Absolute path of a plain file (what --fix-in-place writes). */
  path?: string;
  text: string;
  kind: SourceKind;
  origin: SourceOrigin;
}

/** Files larger than this are refused with one line instead of being parsed: bounded memory and time (yaml parses ~1 MiB/s with positions; the 10k-pair benchmark stream is 11 MiB). */
export const MAX_SOURCE_BYTES = 32 * 1024 * 1024;

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
  /** Reads stdin for `-`; injectable for tests. */
  readStdin?: () => Promise<string>;
  /** kubectl binary for kustomize directories (default: `kubectl` on PATH). */
  kubectl?: string;
  cwd?: string;
}

export interface CollectedSources {
  sources: Source[];
  errors: InputError[];
}

export async function collectSources(paths: readonly string[], options: CollectOptions = {}): Promise<CollectedSources> {
  const out: CollectedSources = { sources: [], errors: [] };
  const cwd = options.cwd ?? process.cwd();
  const display = (p: string) => {
    const r = relative(cwd, p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  let stdinUsed = false;
  for (const arg of paths) {
    if (arg === '-') {
      if (stdinUsed) continue;
      stdinUsed = true;
      const text = await (options.readStdin ?? readAllStdin)();
      addText(out, { file: '-', text, kind: looksLikeDockerfile(text) ? 'dockerfile' : 'yaml', origin: 'stdin' });
      continue;
    }
    const abs = isAbsolute(arg) ? arg : join(cwd, arg);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      out.errors.push({ file: arg, message: `cannot read: ${describeFsError(err)}` });
      continue;
    }
    if (st.isDirectory()) {
      const kustomizations: Array<{ dir: string; shown: string }> = [];
      walkDirectory(abs, arg, out, display, true, kustomizations);
      for (const k of outermostKustomizations(kustomizations)) renderKustomization(k.dir, k.shown, out, options);
    } else addFile(abs, arg, out, sourceKindOf(abs));
  }
  return out;
}

function walkDirectory(
  abs: string,
  shown: string,
  out: CollectedSources,
  display: (p: string) => string,
  top: boolean,
  kustomizations: Array<{ dir: string; shown: string }>,
): void {
  // A kustomization is rendered as a whole (later), never read file by file.
  if (kustomizationIn(abs)) {
    kustomizations.push({ dir: abs, shown: top ? shown : display(abs) });
    return;
  }
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    out.errors.push({ file: shown, message: `cannot read directory: ${describeFsError(err)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const child = join(abs, e.name);
    if (e.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(e.name) || e.name.startsWith('.')) continue;
      walkDirectory(child, display(child), out, display, false, kustomizations);
    } else if (e.isFile()) {
      const kind = sourceKindOf(e.name);
      // The audit's own config is YAML but never a manifest.
      if (kind && e.name !== '.zerodrop.yaml' && e.name !== '.zerodrop.yml') addFile(child, display(child), out, kind);
    }
  }
}

/** `kind` undefined: a file named explicitly with an unknown name; its text decides. */
function addFile(abs: string, shown: string, out: CollectedSources, kind: SourceKind | undefined): void {
  let size: number;
  try {
    size = statSync(abs).size;
  } catch (err) {
    out.errors.push({ file: shown, message: `cannot read: ${describeFsError(err)}` });
    return;
  }
  if (size > MAX_SOURCE_BYTES) {
    out.errors.push({ file: shown, message: `file too large to audit (${Math.round(size / 1048576)} MiB; limit ${MAX_SOURCE_BYTES / 1048576} MiB)` });
    return;
  }
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch (err) {
    out.errors.push({ file: shown, message: `cannot read: ${describeFsError(err)}` });
    return;
  }
  const resolvedKind = kind ?? (looksLikeDockerfile(buf.subarray(0, 4096).toString('utf8')) ? 'dockerfile' : 'yaml');
  addText(out, { file: shown, path: abs, text: '', kind: resolvedKind, origin: 'file' }, buf);
}

function addText(out: CollectedSources, source: Source, buf?: Buffer): void {
  const bytes = buf ?? Buffer.from(source.text, 'utf8');
  if (bytes.length > MAX_SOURCE_BYTES) {
    out.errors.push({ file: source.file, message: `input too large to audit (limit ${MAX_SOURCE_BYTES / 1048576} MiB)` });
    return;
  }
  if (isBinary(bytes)) {
    out.errors.push({ file: source.file, message: 'binary file, not YAML, JSON or a Dockerfile; skipped' });
    return;
  }
  out.sources.push(buf ? { ...source, text: bytes.toString('utf8') } : source);
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

function renderKustomization(dir: string, shown: string, out: CollectedSources, options: CollectOptions): void {
  const kubectl = options.kubectl ?? 'kubectl';
  const res = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: MAX_SOURCE_BYTES });
  if (res.error) {
    const missing = (res.error as NodeJS.ErrnoException).code === 'ENOENT';
    out.errors.push({
      file: shown,
      ...(missing ? { code: 'kubectl-missing', environment: true } : { code: 'kustomize-failed' }),
      message: missing
        ? `is a kustomize directory but ${kubectl === 'kubectl' ? 'kubectl is not on PATH' : `${kubectl} was not found`}; render it yourself and pipe it in: kustomize build ${shown} | zerodrop audit -`
        : `kubectl kustomize failed: ${res.error.message}`,
    });
    return;
  }
  if (res.status !== 0) {
    const why = (res.stderr ?? '')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('# Warning'))
      .join(' ')
      .trim();
    out.errors.push({ file: shown, code: 'kustomize-failed', message: `kubectl kustomize failed: ${why || `exit ${res.status}`}` });
    return;
  }
  addText(out, { file: shown, text: res.stdout, kind: 'yaml', origin: 'kustomize' });
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > MAX_SOURCE_BYTES + 1) break;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e.message ?? String(err);
  }
}
