/**
 * YAML (and JSON, a YAML subset) to Kubernetes objects that remember where they came from.
 * Each document is composed, read and indexed (every field's offset, and a LineCounter) and its
 * node tree is then dropped, so any finding path resolves to an exact line and column without
 * keeping a large stream's trees alive through the audit. The few readers that need the trees
 * (`--fix-in-place`, which edits them without losing comments; the kustomize tracer; the lab)
 * get them composed again from the same text, on first use.
 */
import { Composer, LineCounter, Parser, isMap, isSeq, isAlias, type CST, type Document, type Node } from 'yaml';
import type { ErrorCode } from '../errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { shapeViolations } from '../k8s/shapes/index.js';
import { FieldPositions } from './fieldPositions.js';
import type { InputError, YamlPath } from './types.js';
import type { Source } from './sources.js';
import { deref, isMergeKey, mergeSources, nodeAt } from './yamlNodes.js';

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
  /** Every document's node tree, composed again from the text on first read (the audit itself never reads it). */
  readonly documents: Document.Parsed[];
  objects: LocatedObject[];
  /** True when any document of this source could not be read or holds an object of the wrong shape (then --fix-in-place writes nothing). */
  failed: boolean;
}

/** A Kubernetes object plus where it was read from. */
export interface LocatedObject {
  object: KubeObject;
  source: Source;
  lineCounter: LineCounter;
  /** Offset of the object's own map in the text. */
  offset: number;
  /** Offsets of the object's fields (shared by every object of its source). */
  positions: FieldPositions;
  /** Index of its document in the source's stream. */
  documentIndex: number;
  /** Its document's node tree (composed again on first read, then shared by the source's objects). */
  readonly document: Document.Parsed;
  /** The object's own map node (for `kind: List` items, the item node). */
  readonly node: Node;
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
 * composes as empty, and `each` gets the offset to report. Each document goes to `each` as soon
 * as it is composed, so a caller that keeps none holds one tree at a time.
 */
function composeDocuments(text: string, lineCounter: LineCounter, depthBound: number, each: (doc: Document.Parsed, tooDeepAt?: number) => void): void {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ merge: true });
  const tooDeep = new Map<number, number>();
  // A text whose bound is within the limit needs no walk of each document's tokens.
  const walk = depthBound > MAX_NESTING_DEPTH;
  const emit = (doc: Document.Parsed) => each(doc, tooDeep.get(doc.range[0]));
  for (const token of parser.parse(text)) {
    if (walk && token.type === 'document') {
      const deepest = cstDepth(token);
      if (deepest.depth > MAX_NESTING_DEPTH) {
        tooDeep.set(token.offset, deepest.offset);
        delete token.value;
      }
    }
    for (const doc of composer.next(token)) emit(doc as Document.Parsed);
  }
  for (const doc of composer.end()) emit(doc as Document.Parsed);
}

export function parseYamlSource(source: Source): { parsed: ParsedYamlSource; errors: InputError[] } {
  const lineCounter = new LineCounter();
  const errors: InputError[] = [];
  const nesting = rawNesting(source.text, 4 * MAX_NESTING_DEPTH);
  // Node trees for the readers that edit or trace them, composed again from the text on first
  // read; the text composed once, so it composes the same way again.
  let trees: Document.Parsed[] | undefined;
  let composable = nesting.flowTooDeepAt === undefined;
  const parsed: ParsedYamlSource = {
    source,
    lineCounter,
    get documents() {
      if (!trees) {
        trees = [];
        if (composable) composeDocuments(source.text, new LineCounter(), nesting.depthBound, (doc) => trees!.push(doc));
      }
      return trees;
    },
    objects: [],
    failed: false,
  };
  const fail = (offset: number, code: ErrorCode, message: string) => {
    parsed.failed = true;
    const pos = lineCounter.linePos(offset);
    errors.push({ file: source.file, line: pos.line, column: pos.col, code, message });
  };
  const rawDeep = nesting.flowTooDeepAt;
  if (rawDeep !== undefined) {
    // Not parsed, so the line counter knows no lines yet: count them up to the offset.
    const before = source.text.slice(0, rawDeep);
    const line = before.split('\n').length;
    errors.push({ file: source.file, line, column: rawDeep - before.lastIndexOf('\n'), code: 'yaml-too-deep', message: TOO_DEEP });
    parsed.failed = true;
    return { parsed, errors };
  }
  const positions = new FieldPositions();
  let documentIndex = 0;
  const read = (doc: Document.Parsed, deepAt: number | undefined) => {
    const index = documentIndex++;
    if (deepAt !== undefined) {
      fail(deepAt, 'yaml-too-deep', TOO_DEEP);
      return;
    }
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      if (e.code === 'DUPLICATE_KEY') fail(e.pos[0], 'yaml-duplicate-key', duplicateKeyMessage(source.text, e.pos[0]));
      else if (/call stack/i.test(e.message)) fail(e.pos[0], 'yaml-too-deep', TOO_DEEP);
      else fail(e.pos[0], 'yaml-invalid', `invalid YAML: ${firstLine(e.message)}`);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const problem = toJsProblem(doc, err);
      fail(problem.offset, problem.code, problem.message);
      return;
    }
    if (!isKubeObject(value) || !doc.contents) return;
    positions.record(doc, doc.contents, value);
    collectObjects(value, doc, doc.contents, [], { parsed, positions, documentIndex: index }, errors);
  };
  try {
    composeDocuments(source.text, lineCounter, nesting.depthBound, read);
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    // Nothing of the text is audited, and the one error says why.
    composable = false;
    parsed.objects = [];
    errors.length = 0;
    fail(0, 'yaml-too-deep', TOO_DEEP);
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

/** Where the objects of one document go. */
interface Collecting {
  parsed: ParsedYamlSource;
  positions: FieldPositions;
  documentIndex: number;
}

/**
 * Built apart from the walk over the document, so that its getters' closure holds no node: the
 * tree is composed again when first asked for, never kept.
 */
function locatedObject(object: KubeObject, offset: number, basePath: YamlPath, { parsed, positions, documentIndex }: Collecting): LocatedObject {
  return {
    object,
    source: parsed.source,
    lineCounter: parsed.lineCounter,
    offset,
    positions,
    documentIndex,
    get document() {
      return parsed.documents[documentIndex]!;
    },
    get node() {
      const document = parsed.documents[documentIndex]!;
      return nodeAt(document, document.contents as Node, basePath)!;
    },
    basePath,
  };
}

function collectObjects(
  value: unknown,
  document: Document.Parsed,
  node: Node | null | undefined,
  basePath: YamlPath,
  into: Collecting,
  errors: InputError[],
): void {
  if (!isKubeObject(value) || !node) return;
  // `kind: List` (kubectl get -o yaml, some helm output) wraps objects in items.
  if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))) {
    const items = Array.isArray(value.items) ? value.items : [];
    const itemsNode = nodeAt(document, node, ['items']);
    items.forEach((item, i) => {
      const itemNode = itemsNode && isSeq(itemsNode) ? (deref(document, itemsNode.items[i]) as Node | undefined) : undefined;
      collectObjects(item, document, itemNode ?? null, [...basePath, 'items', i], into, errors);
    });
    return;
  }
  const located = locatedObject(value, node.range?.[0] ?? 0, basePath, into);
  const { parsed } = into;
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

/**
 * Where a finding points. An existing scalar: its value. An existing map or list: the key that
 * holds it. A missing field: the nearest existing parent, at its key; a list item (a container)
 * at its `name:` line.
 */
export function positionOf(located: LocatedObject, path: YamlPath): Position {
  const p = located.lineCounter.linePos(located.positions.offsetOf(located.object, located.offset, path));
  return { line: p.line, column: p.col };
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
