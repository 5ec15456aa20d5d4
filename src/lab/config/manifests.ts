import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parse } from 'yaml';
import { collectSources, kustomizationIn, MAX_YAML_NODES, type Source } from '../../audit/sources.js';
import type { InputError } from '../../audit/types.js';
import { estimateYamlNodes, parseYamlSource } from '../../audit/yamlSource.js';
import { ERROR_CATALOGUE, type ErrorCode, usageError, ZerodropError } from '../../errors.js';
import type { KubeObject } from '../../k8s/objects.js';

/** A manifest object with where it came from, for one-line errors naming file:line. */
export interface SourcedObject {
  object: KubeObject;
  file: string;
  line: number;
}

/** What the lab read from its inputs: the objects, and the texts they came from (which the audit reads too). */
export interface ManifestInput {
  objects: SourcedObject[];
  sources: Source[];
}

const LAB_FILE = /\.lab\.ya?ml$/;

/**
 * Reads manifests exactly as the audit does (src/audit/sources.ts): files, directories walked
 * recursively, and a directory holding a kustomization rendered as a whole by `kubectl kustomize`
 * (so its patches are applied, never read as objects). The first input error stops the lab,
 * with the audit's message. Lab files inside a directory are not manifests and are left out.
 */
export async function readManifests(paths: readonly string[], options: { cwd?: string } = {}): Promise<ManifestInput> {
  const cwd = options.cwd ?? process.cwd();
  for (const p of paths) refuseKustomizeFragment(p, cwd);
  const collected = await collectSources(paths, { cwd });
  const first = collected.errors[0];
  if (first) throw inputError(first);
  const sources = collected.sources.filter((s) => !LAB_FILE.test(s.file));
  const objects = sources.filter((s) => s.kind === 'yaml').flatMap((s) => parseManifestText(s.text, s.file));
  return { objects, sources };
}

/** The audit's input error as the lab's one-line error, under the audit's code when it has one. */
function inputError(e: InputError): ZerodropError {
  const code = (e.code !== undefined && Object.hasOwn(ERROR_CATALOGUE, e.code) ? e.code : 'input-unreadable') as ErrorCode;
  const position = { file: e.file, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) };
  return new ZerodropError(code, e.message, { position });
}

/** How a kustomization lists the files it applies as patches, and what each kind of patch is. */
const PATCH_FIELDS: ReadonlyArray<{ field: string; what: string; pathOf: (entry: unknown) => unknown }> = [
  { field: 'patchesStrategicMerge', what: 'a strategic-merge patch', pathOf: (e) => e },
  { field: 'patches', what: 'a patch', pathOf: (e) => (e && typeof e === 'object' ? (e as { path?: unknown }).path : undefined) },
  { field: 'patchesJson6902', what: 'a JSON 6902 patch', pathOf: (e) => (e && typeof e === 'object' ? (e as { path?: unknown }).path : undefined) },
];

/** How many directories, from the file's own upwards, are searched for a kustomization that applies it as a patch. */
const PATCH_SEARCH_LEVELS = 3;

/**
 * A file that is part of a kustomization rather than a manifest: the kustomization file itself,
 * or a patch one applies (a partial object, which would read as a Deployment without an image).
 * Either is one error naming what the file is and the directory to pass instead.
 */
function refuseKustomizeFragment(input: string, cwd: string): void {
  const abs = path.resolve(cwd, input);
  let isFile = false;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    return; // collectSources reports it
  }
  if (!isFile) return;
  // Paths as the user wrote the input: relative to where they are (`../repo/overlay` included),
  // absolute when they gave an absolute path, so the suggested command runs as printed.
  const shown = (p: string): string => (path.isAbsolute(input) ? p : path.relative(cwd, p) || '.');
  const dir = path.dirname(abs);
  if (kustomizationIn(dir) === abs)
    throw usageError(
      'lab-input-is-kustomization',
      `is a kustomization file; pass its directory instead (zerodrop lab ${shown(dir)}), which the lab renders with kubectl kustomize`,
      { file: input },
    );
  let level = dir;
  for (let i = 0; i < PATCH_SEARCH_LEVELS; i++) {
    const kustomization = kustomizationIn(level);
    const listing = kustomization ? patchListing(kustomization, abs) : undefined;
    if (kustomization && listing)
      throw usageError(
        'lab-input-is-patch',
        `is ${listing.what} that ${shown(kustomization)} applies (${listing.field}), not a complete manifest; pass the kustomization's directory instead: zerodrop lab ${shown(level)}`,
        { file: input },
      );
    const parent = path.dirname(level);
    if (parent === level) break;
    level = parent;
  }
}

function patchListing(kustomization: string, file: string): { field: string; what: string } | undefined {
  let doc: unknown;
  try {
    doc = parse(readFileSync(kustomization, 'utf8'));
  } catch {
    return undefined; // kubectl reports a broken kustomization when it renders it
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const dir = path.dirname(kustomization);
  for (const { field, what, pathOf } of PATCH_FIELDS) {
    const list = (doc as Record<string, unknown>)[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const p = pathOf(entry);
      if (typeof p === 'string' && path.resolve(dir, p) === file) return { field, what };
    }
  }
  return undefined;
}

/**
 * Objects of a manifest text, read exactly as the audit reads them (src/audit/yamlSource.ts):
 * merge keys resolved, every object's shape checked at that boundary, mappings that are not
 * Kubernetes objects skipped and `kind: List` unwrapped. The first problem, or a document that is
 * not a mapping, is one positioned error before anything runs.
 */
export function parseManifestText(text: string, file: string): SourcedObject[] {
  const nodes = estimateYamlNodes(text);
  if (nodes > MAX_YAML_NODES)
    throw usageError(
      'input-too-many-nodes',
      `about ${(nodes / 1e6).toFixed(1)} million YAML nodes, more than zerodrop reads (${MAX_YAML_NODES / 1e6} million)`,
      {
        file,
      },
    );
  const { parsed, errors } = parseYamlSource({ file, text, kind: 'yaml', origin: 'file' });
  const first = errors[0];
  if (first) {
    const position = { file, ...(first.line ? { line: first.line } : {}), ...(first.column ? { column: first.column } : {}) };
    throw new ZerodropError(first.code ?? 'yaml-invalid', first.message, { position });
  }
  // A list or a bare value where an object belongs is a mistake to name, not a document to skip.
  for (const doc of parsed.documents) {
    const contents = doc.contents;
    if (contents === null || isMap(contents) || (isScalar(contents) && (contents.value === null || contents.value === undefined))) continue;
    throw usageError('lab-manifest-shape', 'expected a Kubernetes object (a mapping with apiVersion and kind)', {
      file,
      line: parsed.lineCounter.linePos(contents.range?.[0] ?? doc.range[0]).line,
    });
  }
  return parsed.objects.map((o) => ({ object: o.object, file, line: parsed.lineCounter.linePos(o.node.range?.[0] ?? 0).line }));
}
