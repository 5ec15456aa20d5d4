/**
 * YAML (and JSON, a YAML subset) to Kubernetes objects that remember where they came from.
 * We keep each document's node tree and a LineCounter so any finding path resolves to an exact
 * line and column, and so `--fix-in-place` can edit the same tree without losing comments.
 */
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isAlias, isPair, type Document, type Node } from 'yaml';
import type { KubeObject } from '../k8s/objects.js';
import type { InputError, YamlPath } from './types.js';
import type { Source } from './sources.js';

/**
 * Alias expansion budget per document. `yaml` counts expanded alias nodes and throws past it,
 * which turns a "billion laughs" document into one error instead of an out-of-memory crash.
 */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYamlSource {
  source: Source;
  lineCounter: LineCounter;
  documents: Document.Parsed[];
  objects: LocatedObject[];
  /** True when any document of this source had a syntax error (then --fix-in-place writes nothing). */
  failed: boolean;
}

/** A Kubernetes object plus the node it was read from. */
export interface LocatedObject {
  object: KubeObject;
  source: Source;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** The object's own map node (for `kind: List` items, the item node). */
  node: Node;
  /** Path of `node` from the document root: [] or ['items', i]. */
  basePath: YamlPath;
}

export interface Position {
  line: number;
  column: number;
}

export function parseYamlSource(source: Source): { parsed: ParsedYamlSource; errors: InputError[] } {
  const lineCounter = new LineCounter();
  const errors: InputError[] = [];
  const documents = parseAllDocuments(source.text, { lineCounter, prettyErrors: false, uniqueKeys: false }) as Document.Parsed[] | { empty: true };
  const docs = Array.isArray(documents) ? documents : [];
  const parsed: ParsedYamlSource = { source, lineCounter, documents: docs, objects: [], failed: false };
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      parsed.failed = true;
      const e = doc.errors[0]!;
      const pos = lineCounter.linePos(e.pos[0]);
      errors.push({ file: source.file, line: pos.line, column: pos.col, message: `invalid YAML: ${firstLine(e.message)}` });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      parsed.failed = true;
      const start = doc.contents?.range?.[0] ?? 0;
      const pos = lineCounter.linePos(start);
      const msg = err instanceof Error ? err.message : String(err);
      errors.push({
        file: source.file,
        line: pos.line,
        column: pos.col,
        message: /alias/i.test(msg)
          ? `document expands too many aliases (limit ${MAX_ALIAS_COUNT}); refusing to expand it`
          : `cannot read document: ${firstLine(msg)}`,
      });
      continue;
    }
    collectObjects(value, doc, doc.contents, [], parsed);
  }
  return { parsed, errors };
}

function collectObjects(value: unknown, document: Document.Parsed, node: Node | null | undefined, basePath: YamlPath, parsed: ParsedYamlSource): void {
  if (!isKubeObject(value) || !node) return;
  // `kind: List` (kubectl get -o yaml, some helm output) wraps objects in items.
  if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))) {
    const items = Array.isArray(value.items) ? value.items : [];
    const itemsNode = nodeAt(document, node, ['items']);
    items.forEach((item, i) => {
      const itemNode = itemsNode && isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined;
      collectObjects(item, document, itemNode ?? null, [...basePath, 'items', i], parsed);
    });
    return;
  }
  parsed.objects.push({ object: value, source: parsed.source, document, lineCounter: parsed.lineCounter, node, basePath });
}

/** Non-Kubernetes YAML (no apiVersion and kind strings) is skipped silently. */
function isKubeObject(v: unknown): v is KubeObject & { items?: unknown } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.kind === 'string' && typeof o.apiVersion === 'string';
}

function deref(document: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

function keyMatches(key: unknown, wanted: string | number): boolean {
  if (isScalar(key)) return String(key.value) === String(wanted);
  return false;
}

/** The node at `path` under `root`, or undefined. */
export function nodeAt(document: Document.Parsed, root: Node, path: YamlPath): Node | undefined {
  let cur: unknown = root;
  for (const seg of path) {
    cur = deref(document, cur);
    if (isMap(cur)) {
      const pair = cur.items.find((p) => keyMatches(p.key, seg));
      if (!pair) return undefined;
      cur = pair.value;
    } else if (isSeq(cur) && typeof seg === 'number') {
      cur = cur.items[seg];
    } else return undefined;
    if (cur === undefined || cur === null) return undefined;
  }
  return deref(document, cur) as Node | undefined;
}

/**
 * Where a finding points. An existing scalar: its value. An existing map or list: the key that
 * holds it. A missing field: the nearest existing parent, at its key; a list item (a container)
 * at its `name:` line.
 */
export function positionOf(located: LocatedObject, path: YamlPath): Position {
  const { document, lineCounter } = located;
  let cur: unknown = located.node;
  let anchorOffset = located.node.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    cur = deref(document, cur);
    let next: unknown;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => keyMatches(p.key, seg));
      if (!pair) break;
      next = pair.value;
      const keyRange = (pair.key as Node | null)?.range;
      if (keyRange) anchorOffset = keyRange[0];
      if (next === null || next === undefined) break;
      const v = deref(document, next);
      if (isScalar(v) && i === path.length - 1 && v.range) anchorOffset = (next as Node).range?.[0] ?? v.range[0];
    } else if (isSeq(cur) && typeof seg === 'number') {
      next = cur.items[seg];
      if (next === undefined || next === null) break;
      anchorOffset = itemAnchor(document, next) ?? anchorOffset;
    } else break;
    cur = next;
  }
  const p = lineCounter.linePos(anchorOffset);
  return { line: p.line, column: p.col };
}

function itemAnchor(document: Document.Parsed, item: unknown): number | undefined {
  const v = deref(document, item);
  if (isMap(v)) {
    const name = v.items.find((p) => keyMatches(p.key, 'name'));
    const keyRange = (name?.key as Node | undefined)?.range;
    if (keyRange) return keyRange[0];
  }
  if (isPair(v)) return undefined;
  return (v as Node | undefined)?.range?.[0];
}

function firstLine(s: string): string {
  return s
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}

/** Path of a finding relative to the document root (for kind: List items). */
export function documentPath(located: LocatedObject, path: YamlPath): YamlPath {
  return [...located.basePath, ...path];
}
