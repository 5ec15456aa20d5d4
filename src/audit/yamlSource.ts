/**
 * YAML (and JSON, a YAML subset) to Kubernetes objects that remember where they came from.
 * We keep each document's node tree and a LineCounter so any finding path resolves to an exact
 * line and column, and so `--fix-in-place` can edit the same tree without losing comments.
 */
import { Composer, LineCounter, Parser, isMap, isSeq, isScalar, isAlias, isPair, type CST, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ErrorCode } from '../errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { shapeViolations } from '../k8s/shapes/index.js';
import type { InputError, YamlPath } from './types.js';
import type { Source } from './sources.js';

/**
 * Alias expansion budget per document. `yaml` counts expanded alias nodes and throws past it,
 * which turns a "billion laughs" document into one error instead of an out-of-memory crash.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Deepest nesting of collections we read. `yaml` composes recursively and runs out of stack near
 * 850 levels; a Kubernetes object needs a few dozen (a CRD schema perhaps a hundred). Past the
 * limit the document is one positioned error instead of a stack overflow called "invalid YAML".
 */
export const MAX_NESTING_DEPTH = 256;

export interface ParsedYamlSource {
  source: Source;
  lineCounter: LineCounter;
  documents: Document.Parsed[];
  objects: LocatedObject[];
  /** True when any document of this source could not be read or holds an object of the wrong shape (then --fix-in-place writes nothing). */
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

/**
 * The YAML nodes a text composes to, estimated in one pass over its characters (never more than
 * a tenth below the true count, measured on every fixture as YAML and as JSON): every line, flow
 * separator and collection opener, every `- ` and `: ` indicator and every compact JSON key's
 * `":`. Parsing with positions costs about 0.5 KiB of heap per counted node (measured on block
 * lists, flow lists and flow maps), so this bounds memory before any parsing starts.
 */
export function estimateYamlNodes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A flow item costs about twice a block line (measured), so a comma counts twice.
    if (c === 44) n += 2;
    else if (c === 10 || c === 91 || c === 123) n++;
    else if (c === 45 || c === 58) {
      const next = text.charCodeAt(i + 1);
      if (next === 32 || next === 10 || next === 13 || next === 9 || Number.isNaN(next)) n++;
      // A key in compact JSON (`"key":value`) is followed by no space: its closing quote marks it.
      else if (c === 58 && (text.charCodeAt(i - 1) === 34 || text.charCodeAt(i - 1) === 39)) n++;
    }
  }
  return n;
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

const TOO_DEEP = `nested more than ${MAX_NESTING_DEPTH} levels deep; zerodrop reads up to ${MAX_NESTING_DEPTH} (a Kubernetes object needs far fewer)`;

/**
 * Where unclosed flow brackets, counted without regard to quoting (cheap, and an over-estimate),
 * first nest past `limit`. `yaml`'s parser slows down on deep flow nesting (seconds per 100,000
 * levels), so a text whose brackets alone nest far past the limit is refused before it is parsed.
 * In the same pass, a bound on how deep any collection of the text can nest: a block collection
 * nests only inside one less indented (a sequence may sit at its map key's indentation, so two
 * levels per column), or after a `- `/`? ` indicator earlier on its line, so twice the widest
 * run of spaces and indicators opening a line, plus the deepest flow nesting, bounds it.
 */
function rawNesting(text: string, limit: number): { flowTooDeepAt?: number; depthBound: number } {
  let depth = 0;
  let maxFlow = 0;
  let maxLead = 0;
  let lead = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      leading = true;
      lead = 0;
      continue;
    }
    // Spaces, tabs and the indicators -, ?, : that open a line count towards its lead.
    if (leading && (c === 32 || c === 9 || c === 45 || c === 63 || c === 58)) {
      if (++lead > maxLead) maxLead = lead;
    } else leading = false;
    if (c === 91 || c === 123) {
      if (++depth > limit) return { flowTooDeepAt: i, depthBound: Number.POSITIVE_INFINITY };
      if (depth > maxFlow) maxFlow = depth;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return { depthBound: 2 * (maxLead + 1) + maxFlow + 2 };
}

/** Deepest collection nesting of one CST document token, walked without recursion, and where it is. */
function cstDepth(token: CST.Document): { depth: number; offset: number } {
  let best = { depth: 0, offset: token.offset };
  const stack: Array<[CST.Token | null | undefined, number]> = [[token.value, 1]];
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (!t || (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection')) continue;
    if (depth > best.depth) best = { depth, offset: t.offset };
    for (const item of t.items) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return best;
}

/**
 * `parseAllDocuments`, composed document by document so that a document nested past the limit
 * is never handed to `yaml`'s recursive composer (which overflows the stack near 850 levels, and
 * near that depth V8 may even abort the process compiling a regular expression). Such a document
 * composes as empty; its offset is returned to report.
 */
function composeDocuments(text: string, lineCounter: LineCounter, depthBound: number): { documents: Document.Parsed[]; tooDeep: Map<number, number> } {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ merge: true });
  const documents: Document.Parsed[] = [];
  const tooDeep = new Map<number, number>();
  // A text whose bound is within the limit needs no walk of each document's tokens.
  const walk = depthBound > MAX_NESTING_DEPTH;
  for (const token of parser.parse(text)) {
    if (walk && token.type === 'document') {
      const deepest = cstDepth(token);
      if (deepest.depth > MAX_NESTING_DEPTH) {
        tooDeep.set(token.offset, deepest.offset);
        delete token.value;
      }
    }
    for (const doc of composer.next(token)) documents.push(doc as Document.Parsed);
  }
  for (const doc of composer.end()) documents.push(doc as Document.Parsed);
  return { documents, tooDeep };
}

export function parseYamlSource(source: Source): { parsed: ParsedYamlSource; errors: InputError[] } {
  const lineCounter = new LineCounter();
  const errors: InputError[] = [];
  const parsed: ParsedYamlSource = { source, lineCounter, documents: [], objects: [], failed: false };
  const fail = (offset: number, code: ErrorCode, message: string) => {
    parsed.failed = true;
    const pos = lineCounter.linePos(offset);
    errors.push({ file: source.file, line: pos.line, column: pos.col, code, message });
  };
  const nesting = rawNesting(source.text, 4 * MAX_NESTING_DEPTH);
  const rawDeep = nesting.flowTooDeepAt;
  if (rawDeep !== undefined) {
    // Not parsed, so the line counter knows no lines yet: count them up to the offset.
    const before = source.text.slice(0, rawDeep);
    const line = before.split('\n').length;
    errors.push({ file: source.file, line, column: rawDeep - before.lastIndexOf('\n'), code: 'yaml-too-deep', message: TOO_DEEP });
    parsed.failed = true;
    return { parsed, errors };
  }
  let composed: ReturnType<typeof composeDocuments>;
  try {
    composed = composeDocuments(source.text, lineCounter, nesting.depthBound);
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    fail(0, 'yaml-too-deep', TOO_DEEP);
    return { parsed, errors };
  }
  parsed.documents = composed.documents;
  for (const doc of parsed.documents) {
    const deepAt = composed.tooDeep.get(doc.range[0]);
    if (deepAt !== undefined) {
      fail(deepAt, 'yaml-too-deep', TOO_DEEP);
      continue;
    }
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      if (e.code === 'DUPLICATE_KEY') fail(e.pos[0], 'yaml-duplicate-key', duplicateKeyMessage(source.text, e.pos[0]));
      else if (/call stack/i.test(e.message)) fail(e.pos[0], 'yaml-too-deep', TOO_DEEP);
      else fail(e.pos[0], 'yaml-invalid', `invalid YAML: ${firstLine(e.message)}`);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const problem = toJsProblem(doc, err);
      fail(problem.offset, problem.code, problem.message);
      continue;
    }
    collectObjects(value, doc, doc.contents, [], parsed, errors);
  }
  return { parsed, errors };
}

/** `yaml` reports a repeated key at its second occurrence; kubectl refuses the whole file. */
function duplicateKeyMessage(text: string, offset: number): string {
  const rest = text.slice(offset, text.indexOf('\n', offset) < 0 ? undefined : text.indexOf('\n', offset));
  const key = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:#,{}[\]]+?)\s*:/.exec(rest)?.[1]?.trim();
  return `duplicate key${key ? ` ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`}` : ''} in one mapping: kubectl rejects the file ("mapping key already defined"); keep one`;
}

/** Why `toJS` refused a document, positioned at the node responsible when we can find it. */
function toJsProblem(doc: Document.Parsed, err: unknown): { offset: number; code: ErrorCode; message: string } {
  const start = doc.contents?.range?.[0] ?? 0;
  const msg = err instanceof Error ? err.message : String(err);
  if (isStackOverflow(err)) return { offset: start, code: 'yaml-too-deep', message: TOO_DEEP };
  const unresolved = /Unresolved alias[^:]*:\s*(.+)$/.exec(msg);
  if (unresolved) {
    const name = unresolved[1]!.trim();
    const alias = findNode(doc, (n) => isAlias(n) && n.source === name);
    return {
      offset: alias?.range?.[0] ?? start,
      code: 'yaml-bad-alias',
      message: `alias *${name} has no anchor &${name} before it in this document; anchors do not reach across "---" (kubectl rejects it too)`,
    };
  }
  if (/merge sources/i.test(msg)) {
    const merge = findNode(doc, (n) => isMap(n) && n.items.some((p) => isMergeKey(p.key) && !mergeSources(doc, p.value)));
    return { offset: merge?.range?.[0] ?? start, code: 'yaml-bad-alias', message: 'a merge key (<<) must name a mapping, an alias of one, or a list of them' };
  }
  if (/alias/i.test(msg))
    return { offset: start, code: 'yaml-alias-limit', message: `document expands too many aliases (limit ${MAX_ALIAS_COUNT}); refusing to expand it` };
  return { offset: start, code: 'yaml-invalid', message: `cannot read document: ${firstLine(msg)}` };
}

function findNode(doc: Document.Parsed, test: (n: unknown) => boolean): Node | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (test(n)) return n as Node;
    if (isMap(n)) for (const p of n.items) stack.push(p.value, p.key);
    else if (isSeq(n)) stack.push(...n.items);
  }
  return undefined;
}

/** With `merge: true`, `yaml` parses the `<<` key as a scalar holding a symbol. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** The maps a merge value names (`<<: *base` or `<<: [*a, *b]`), or undefined when it names something else. */
export function mergeSources(document: Document.Parsed, value: unknown): YAMLMap[] | undefined {
  const one = (v: unknown): YAMLMap | undefined => {
    const r = deref(document, v);
    return isMap(r) ? r : undefined;
  };
  const v = deref(document, value);
  if (isMap(v)) return [v];
  if (isSeq(v)) {
    const maps = v.items.map(one);
    return maps.every((m) => m !== undefined) ? (maps as YAMLMap[]) : undefined;
  }
  return undefined;
}

function collectObjects(
  value: unknown,
  document: Document.Parsed,
  node: Node | null | undefined,
  basePath: YamlPath,
  parsed: ParsedYamlSource,
  errors: InputError[],
): void {
  if (!isKubeObject(value) || !node) return;
  // `kind: List` (kubectl get -o yaml, some helm output) wraps objects in items.
  if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))) {
    const items = Array.isArray(value.items) ? value.items : [];
    const itemsNode = nodeAt(document, node, ['items']);
    items.forEach((item, i) => {
      const itemNode = itemsNode && isSeq(itemsNode) ? (deref(document, itemsNode.items[i]) as Node | undefined) : undefined;
      collectObjects(item, document, itemNode ?? null, [...basePath, 'items', i], parsed, errors);
    });
    return;
  }
  const located: LocatedObject = { object: value, source: parsed.source, document, lineCounter: parsed.lineCounter, node, basePath };
  const violations = shapeViolations(value);
  if (violations.length === 0) {
    parsed.objects.push(located);
    return;
  }
  // An object the API server would reject is reported, not audited: findings about it would
  // rest on fields that never reach a cluster.
  parsed.failed = true;
  const name = typeof value.metadata?.name === 'string' ? ` ${value.metadata.name}` : '';
  for (const v of violations) {
    const pos = positionOf(located, v.path);
    errors.push({
      file: parsed.source.file,
      line: pos.line,
      column: pos.column,
      code: v.kind === 'missing-field' ? 'manifest-missing-field' : 'manifest-wrong-type',
      message: `${value.kind}${name}: ${v.message} (the API server rejects this object)`,
    });
  }
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
  if (isScalar(key)) return typeof key.value !== 'symbol' && String(key.value) === String(wanted);
  return false;
}

/**
 * The pair holding `key` in `map`: its own, else one inherited through a merge key (`<<: *base`),
 * earlier merge sources first, as YAML merge (and kubectl) resolve them.
 */
export function pairOf(document: Document.Parsed, map: YAMLMap, key: string | number): Pair | undefined {
  const seen = new Set<YAMLMap>();
  const search = (m: YAMLMap): Pair | undefined => {
    if (seen.has(m)) return undefined;
    seen.add(m);
    const own = m.items.find((p) => keyMatches(p.key, key));
    if (own) return own;
    for (const p of m.items) {
      if (!isMergeKey(p.key)) continue;
      for (const source of mergeSources(document, p.value) ?? []) {
        const found = search(source);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(map);
}

/** The node at `path` under `root`, or undefined. */
export function nodeAt(document: Document.Parsed, root: Node, path: YamlPath): Node | undefined {
  let cur: unknown = root;
  for (const seg of path) {
    cur = deref(document, cur);
    if (isMap(cur)) {
      const pair = pairOf(document, cur, seg);
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
      const pair = pairOf(document, cur, seg);
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
    const name = pairOf(document, v, 'name');
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
