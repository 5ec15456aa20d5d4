/**
 * Rendering a kustomization so that each object says where it came from. kustomize records that
 * itself when a kustomization asks for `buildMetadata: [originAnnotations, transformerAnnotations]`:
 * `config.kubernetes.io/origin` names the file (or generator) an object was read from, and
 * `alpha.config.kubernetes.io/transformations` the kustomizations whose patches and transformers
 * it went through, in order. The user's files are never edited: a temporary wrapper
 * kustomization lists the user's directory as its one resource and asks for the metadata.
 * The annotations are then cut out of the text again, line by line, so the stream the audit reads
 * is the one `kubectl kustomize DIR` prints.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, parse, parseAllDocuments, type Node, type Pair } from 'yaml';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

/** Where kustomize read an object from. Paths are absolute. */
export type ResourceOrigin =
  | { file: string }
  | { generatedBy: { kustomization: string; kind: string } }
  /** A remote base (`repo:`) or anything else zerodrop cannot open. */
  | { untraceable: string };

export interface Transformation {
  /** Absolute path of the kustomization (or component) file that configured it. */
  kustomization: string;
  /** kustomize's builtin kind: PatchTransformer, PatchStrategicMergeTransformer, ReplicaCountTransformer, ... */
  kind: string;
}

export interface DocumentOrigin {
  origin: ResourceOrigin;
  /** In the order kustomize applied them. */
  transformations: Transformation[];
}

export interface KustomizeWrapper {
  dir: string;
  remove(): void;
}

/** A temporary kustomization that renders `target` with build metadata; `remove()` deletes it. */
export function writeWrapperKustomization(target: string): KustomizeWrapper {
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-kustomize-'));
  // kustomize refuses absolute resource paths, so the user's directory is named relative to the wrapper.
  const resource = relative(dir, resolve(target)).split(sep).join('/');
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ${JSON.stringify(resource)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`,
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function text(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function originOf(value: string | undefined, base: string): ResourceOrigin {
  if (value === undefined) return { untraceable: 'kustomize recorded no origin' };
  let o: Record<string, unknown>;
  try {
    o = (parse(value) ?? {}) as Record<string, unknown>;
  } catch {
    return { untraceable: 'unreadable origin annotation' };
  }
  if (typeof o.repo === 'string') return { untraceable: `remote base ${o.repo}` };
  if (typeof o.path === 'string') return { file: resolve(base, o.path) };
  const by = o.configuredBy as Record<string, unknown> | undefined;
  if (typeof o.configuredIn === 'string' && typeof by?.kind === 'string')
    return { generatedBy: { kustomization: resolve(base, o.configuredIn), kind: by.kind } };
  return { untraceable: 'unrecognised origin annotation' };
}

function transformationsOf(value: string | undefined, base: string): Transformation[] {
  if (value === undefined) return [];
  let list: unknown;
  try {
    list = parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((t: Record<string, unknown>) => {
    const by = t?.configuredBy as Record<string, unknown> | undefined;
    return typeof t?.configuredIn === 'string' && typeof by?.kind === 'string' ? [{ kustomization: resolve(base, t.configuredIn), kind: by.kind }] : [];
  });
}

/**
 * Cuts the build-metadata annotations out of `rendered` (the wrapper's output) and returns the
 * text kustomize prints without them, plus each document's origin; paths in the annotations are
 * relative to `wrapperDir`.
 */
export function stripBuildMetadata(rendered: string, wrapperDir: string): { text: string; documents: DocumentOrigin[] } {
  const lineStart = (offset: number) => rendered.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = (offset: number) => {
    if (offset > 0 && rendered[offset - 1] === '\n') return offset;
    const nl = rendered.indexOf('\n', offset);
    return nl === -1 ? rendered.length : nl + 1;
  };
  const cuts: Array<[number, number]> = [];
  const documents: DocumentOrigin[] = [];
  const docs = parseAllDocuments(rendered);
  for (const doc of Array.isArray(docs) ? docs : []) {
    const annotationsPair = isMap(doc.contents)
      ? (() => {
          const metadata = doc.contents.items.find((p) => text(p.key) === 'metadata')?.value;
          return isMap(metadata) ? metadata.items.find((p) => text(p.key) === 'annotations') : undefined;
        })()
      : undefined;
    const annotations = annotationsPair?.value;
    if (!annotationsPair || !isMap(annotations)) {
      documents.push({ origin: originOf(undefined, wrapperDir), transformations: [] });
      continue;
    }
    const items = annotations.items as Pair<Node, Node>[];
    const ours = (p: Pair<Node, Node>) => text(p.key) === ORIGIN_ANNOTATION || text(p.key) === TRANSFORMATIONS_ANNOTATION;
    const annotation = (key: string) => text(items.find((p) => text(p.key) === key)?.value);
    documents.push({
      origin: originOf(annotation(ORIGIN_ANNOTATION), wrapperDir),
      transformations: transformationsOf(annotation(TRANSFORMATIONS_ANNOTATION), wrapperDir),
    });
    const end = (i: number) => {
      const next = items[i + 1]?.key?.range;
      return next ? lineStart(next[0]) : lineEnd(items[i]!.value?.range?.[1] ?? items[i]!.key.range![1]);
    };
    if (items.every(ours)) {
      const start = (annotationsPair.key as Node).range;
      if (start) cuts.push([lineStart(start[0]), end(items.length - 1)]);
      continue;
    }
    items.forEach((p, i) => {
      if (ours(p) && p.key.range) cuts.push([lineStart(p.key.range[0]), end(i)]);
    });
  }
  let out = rendered;
  for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + out.slice(b);
  return { text: out, documents };
}
