/**
 * A strategic-merge patch, applied to a YAML text as the smallest edits to its bytes: keys are
 * inserted after the last line of their mapping, replaced values are replaced where they stand,
 * renamed keys are renamed in place. Every byte outside an edit stays as it was, so comments,
 * quoting, line endings and the layout of untouched values survive.
 *
 * The planner refuses, with the position, what it cannot edit faithfully: a value reached through
 * an alias (`template: *tpl`) or shared by one (`&tpl` used elsewhere), or a node with an explicit
 * tag. The semantics follow `applyPatch` (src/audit/patch.ts), which is what kustomize would do,
 * and the caller checks the edited text against it.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { applyPatch, MERGE_KEYS } from '../patch.js';
import type { StrategicPatch } from '../types.js';
import { isMergeKey, pairOf } from '../yamlNodes.js';
import { blockItem, blockPair, blockValue, flowKey, flowValue, scalarText, type BlockStyle, type Quoting } from './render.js';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Nesting depth of the edited collection: of two insertions at one offset, the deeper comes first. */
  depth: number;
}

/** An edit --fix-in-place will not make, at the offset of the node that stops it. */
export class EditRefused extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EditContext {
  text: string;
  document: Document.Parsed;
  style: BlockStyle;
  /** Anchor names some alias of the document uses: nodes carrying them are shared. */
  aliasedAnchors: ReadonlySet<string>;
  /** The object being edited, for messages: `Deployment web`. */
  label: string;
  edits: TextEdit[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function keyMatches(key: unknown, wanted: string): boolean {
  return isScalar(key) && typeof key.value !== 'symbol' && String(key.value) === wanted;
}

/** What `applyPatch` stores for `value` under `key` where nothing was: nulls inside mappings dropped. */
function materialize(key: string, value: unknown): unknown {
  return (applyPatch({}, { [key]: value }) as Record<string, unknown>)[key];
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the end of the line holding `offset` (before `\r\n` or `\n`). */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Where a node's own text ends: its last character, before trailing comments, blank lines and newlines. */
function contentEnd(text: string, node: unknown): number {
  let end: number;
  if (isMap(node) && !node.flow && node.items.length > 0) end = pairEnd(text, node.items[node.items.length - 1]!);
  else if (isSeq(node) && !node.flow && node.items.length > 0) end = contentEnd(text, node.items[node.items.length - 1]);
  else end = (node as Node).range?.[1] ?? 0;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function pairEnd(text: string, pair: Pair): number {
  const v = pair.value as Node | null;
  if (v && !(isScalar(v) && v.source === '' && v.value === null)) return contentEnd(text, v);
  return ((pair.key as Node | null)?.range?.[1] ?? 0) + 1;
}

function keyStart(pair: Pair): number {
  const range = (pair.key as Node | null)?.range;
  if (!range) throw new EditRefused(0, 'a mapping with a complex or empty key cannot be edited faithfully; use --fix');
  return range[0];
}

function quotingOf(node: unknown): Quoting {
  const s = isSeq(node) || isMap(node) ? node.items.map((i) => (isMap(node) ? (i as Pair).key : i)).find(isScalar) : node;
  if (!isScalar(s)) return 'plain';
  return s.type === 'QUOTE_DOUBLE' ? 'double' : s.type === 'QUOTE_SINGLE' ? 'single' : 'plain';
}

/** JSON-style flow collections (keys in double quotes) get JSON back. */
function isJsonStyle(node: YAMLMap | YAMLSeq): boolean {
  if (isMap(node)) return node.items.length > 0 ? quotingOf(node.items[0]!.key) === 'double' : false;
  return quotingOf(node) === 'double';
}

/** Refuses nodes an edit cannot change without changing something else or something unseen. */
function guard(node: Node, path: string, ctx: EditContext, sharedBy: string | undefined): string | undefined {
  const at = node.range?.[0] ?? 0;
  const name = `${ctx.label}: ${path || 'the object'}`;
  if (isAlias(node))
    throw new EditRefused(
      at,
      `${name} is the alias *${node.source}: editing it would change every use of &${node.source}; expand the alias, or use --fix for a patch`,
    );
  if (node.tag) {
    const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
    throw new EditRefused(at, `${name} carries the explicit tag ${tag}; --fix-in-place does not edit tagged nodes; remove the tag, or use --fix`);
  }
  const shared = node.anchor && ctx.aliasedAnchors.has(node.anchor) ? node.anchor : sharedBy;
  if (shared)
    throw new EditRefused(
      at,
      `${name} is shared through the anchor &${shared} (used by an alias): editing it would change every use; expand the alias, or use --fix for a patch`,
    );
  return shared;
}

export function editMap(map: YAMLMap, patch: StrategicPatch, ctx: EditContext, name: string, depth: number, sharedBy?: string): void {
  const shared = guard(map, name, ctx, sharedBy);
  const handled = renameKeys(map, patch, ctx, depth);
  const inserts: Array<[string, unknown]> = [];
  const deletes: Pair[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (handled.has(key)) continue;
    const own = map.items.find((p) => keyMatches(p.key, key));
    const path = name ? `${name}.${key}` : key;
    if (value === null) {
      if (own) deletes.push(own);
      else if (pairOf(ctx.document, map, key))
        throw new EditRefused(map.range?.[0] ?? 0, `${ctx.label}: ${path} is inherited through a merge key (<<) and cannot be deleted here; use --fix`);
      continue;
    }
    const node = own?.value as Node | null | undefined;
    const mergeKey = MERGE_KEYS[key];
    if (own && isRecord(value) && (isMap(node) || isAlias(node))) {
      editMap(node as YAMLMap, value, ctx, path, depth + 1, shared);
      continue;
    }
    if (own && Array.isArray(value) && mergeKey && (isSeq(node) || isAlias(node))) {
      editList(node as YAMLSeq, value, mergeKey, ctx, path, depth + 1, shared);
      continue;
    }
    if (own) {
      replaceValue(map, own, materialize(key, value), ctx, depth);
      continue;
    }
    // Not in this mapping: inherited through `<<`, or absent. A local key overrides an inherited
    // one as a whole (YAML merge is shallow), so it gets the inherited value with the patch applied.
    const inherited = pairOf(ctx.document, map, key) ? (map.toJS(ctx.document) as Record<string, unknown>) : undefined;
    inserts.push([key, inherited ? (applyPatch({ [key]: inherited[key] }, { [key]: value }) as Record<string, unknown>)[key] : materialize(key, value)]);
  }
  if (map.flow) emitFlowMap(map, inserts, deletes, ctx, depth);
  else emitBlockMap(map, inserts, deletes, ctx, depth);
}

function editList(seq: YAMLSeq, items: unknown[], mergeKey: string, ctx: EditContext, name: string, depth: number, sharedBy: string | undefined): void {
  const shared = guard(seq, name, ctx, sharedBy);
  const appended: unknown[] = [];
  for (const item of items) {
    const at = isRecord(item)
      ? seq.items.findIndex((n) => {
          const m = isAlias(n) ? n.resolve(ctx.document) : n;
          if (!isMap(m)) return false;
          const p = pairOf(ctx.document, m, mergeKey);
          return !!p && isScalar(p.value) && p.value.value === item[mergeKey];
        })
      : -1;
    if (at >= 0 && isRecord(item)) editMap(seq.items[at] as YAMLMap, item, ctx, `${name}[${at}]`, depth + 1, shared);
    else appended.push(item);
  }
  if (appended.length === 0) return;
  const { text, style } = ctx;
  if (seq.flow) {
    const json = isJsonStyle(seq);
    const parts = appended.map((v) => flowValue(v, json));
    if (seq.items.length === 0) ctx.edits.push({ start: seq.range![0] + 1, end: seq.range![0] + 1, text: parts.join(', '), depth });
    else {
      const end = contentEnd(text, seq.items[seq.items.length - 1]);
      ctx.edits.push({ start: end, end, text: `, ${parts.join(', ')}`, depth });
    }
    return;
  }
  const dash = column(text, seq.range![0]);
  const at = lineEnd(text, contentEnd(text, seq));
  const lines = appended.map((v) => `${style.eol}${' '.repeat(dash)}${blockItem(v, dash, style)}`).join('');
  ctx.edits.push({ start: at, end: at, text: lines, depth });
}

/**
 * A patch that deletes one key and sets another to the same value is a rename (unknown-field's
 * fix): the key's text changes, its value keeps its layout and comments.
 */
function renameKeys(map: YAMLMap, patch: StrategicPatch, ctx: EditContext, depth: number): Set<string> {
  const handled = new Set<string>();
  for (const [oldKey, v] of Object.entries(patch)) {
    if (v !== null) continue;
    const pair = map.items.find((p) => keyMatches(p.key, oldKey));
    if (!pair || !isScalar(pair.key) || !pair.key.range) continue;
    const current = (pair.value as Node | null)?.toJS?.(ctx.document) ?? null;
    const newKey = Object.keys(patch).find(
      (k) => patch[k] !== null && !handled.has(k) && !map.items.some((p) => keyMatches(p.key, k)) && JSON.stringify(patch[k]) === JSON.stringify(current),
    );
    if (!newKey) continue;
    const key = pair.key as Scalar;
    const range = key.range!;
    const quoting = quotingOf(key);
    ctx.edits.push({
      start: range[0],
      end: range[1],
      text: quoting === 'plain' ? scalarText(newKey, 'plain', !!map.flow) : scalarText(newKey, quoting, true),
      depth,
    });
    handled.add(oldKey).add(newKey);
  }
  return handled;
}

/** An existing key gets a new value, written where the old one stood. */
function replaceValue(map: YAMLMap, pair: Pair, value: unknown, ctx: EditContext, depth: number): void {
  const { text, style } = ctx;
  const node = pair.value as Node | null;
  const key = pair.key as Node;
  const isEmpty = !node || (isScalar(node) && node.source === '' && node.value === null);
  const collection = Array.isArray(value) || isRecord(value);
  if (!node?.range) throw new EditRefused(key.range?.[0] ?? 0, 'cannot locate the value to replace; use --fix');
  if (isSeq(node) && Array.isArray(value) && value.length === node.items.length && node.items.every((i) => isScalar(i) && i.range)) {
    // A list of scalars with as many items (a command rewritten): only the items that change are
    // rewritten, each in its own quoting, so comments and the other items stay as they are.
    node.items.forEach((item, i) => {
      const old = item as Scalar;
      if (old.value === value[i]) return;
      ctx.edits.push({ start: old.range![0], end: contentEnd(text, old), text: scalarText(value[i], quotingOf(old), !!node.flow), depth });
    });
    return;
  }
  if (map.flow || isScalar(node) || isAlias(node) || ((isMap(node) || isSeq(node)) && node.flow)) {
    if (!collection || map.flow || ((isMap(node) || isSeq(node)) && node.flow)) {
      const json = (isMap(node) || isSeq(node)) && node.flow ? isJsonStyle(node) : map.flow ? isJsonStyle(map) : false;
      const quoting = quotingOf(node);
      const rendered = collection ? flowValue(value, json, quoting) : scalarText(value, quoting, !!map.flow);
      if (isEmpty) ctx.edits.push({ start: node.range[0], end: node.range[0], text: ` ${rendered}`, depth });
      else ctx.edits.push({ start: node.range[0], end: contentEnd(text, node), text: rendered, depth });
      return;
    }
    // A scalar (or nothing) becomes a block collection: rewrite the pair from its key.
    const indent = column(text, key.range![0]);
    const keyText = text.slice(key.range![0], key.range![1]);
    const empty = (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
    const inner = Array.isArray(value) && !style.indentSeq ? indent : indent + style.indentStep;
    const rendered = empty ? `${keyText}: ${flowValue(value, false)}` : `${keyText}:${style.eol}${' '.repeat(inner)}${blockValue(value, inner, style)}`;
    ctx.edits.push({ start: key.range![0], end: pairEnd(text, pair), text: rendered, depth });
    return;
  }
  // A block collection replaced by another value, at the same column.
  const start = node.range[0];
  const indent = column(text, start);
  const rendered = collection ? blockValue(value, indent, style) : scalarText(value, 'plain', false);
  ctx.edits.push({ start, end: contentEnd(text, node), text: rendered, depth });
}

function emitBlockMap(map: YAMLMap, inserts: Array<[string, unknown]>, deletes: Pair[], ctx: EditContext, depth: number): void {
  const { text, style } = ctx;
  const first = map.items.find((p) => !isMergeKey(p.key)) ?? map.items[0]!;
  const indent = column(text, keyStart(first));
  const pad = ' '.repeat(indent);
  const rendered = inserts.map(([k, v]) => blockPair(k, v, indent, style));
  const remaining = [...deletes];
  if (rendered.length > 0 && remaining.length > 0) {
    // The new keys take the place of the first deleted one (exec: → sleep:), which also keeps
    // a mapping that loses its only key from becoming null.
    const gone = remaining.shift()!;
    ctx.edits.push({ start: keyStart(gone), end: pairEnd(text, gone), text: rendered.join(`${style.eol}${pad}`), depth });
  } else if (rendered.length > 0) {
    const at = lineEnd(text, contentEnd(text, map));
    ctx.edits.push({ start: at, end: at, text: rendered.map((r) => `${style.eol}${pad}${r}`).join(''), depth });
  }
  if (remaining.length === map.items.length && rendered.length === 0) {
    ctx.edits.push({ start: map.range![0], end: contentEnd(text, map), text: '{}', depth });
    return;
  }
  for (const pair of remaining) {
    const start = keyStart(pair);
    const lineBegin = lineStart(text, start);
    if (text.slice(lineBegin, start).trim() === '') {
      const end = lineEnd(text, pairEnd(text, pair));
      const eolLength = text.startsWith('\r\n', end) ? 2 : text[end] === '\n' ? 1 : 0;
      ctx.edits.push({ start: lineBegin, end: end + eolLength, text: '', depth });
      continue;
    }
    // The first key of a list item (`- exec:`): the next key moves up to take its place.
    const index = map.items.indexOf(pair);
    const next = map.items[index + 1];
    if (!next || lineStart(text, keyStart(next)) !== lineEnd(text, pairEnd(text, pair)) + style.eol.length)
      throw new EditRefused(start, `cannot delete ${String((pair.key as Scalar).value)} from this list item faithfully; use --fix`);
    ctx.edits.push({ start, end: keyStart(next), text: '', depth });
  }
}

function emitFlowMap(map: YAMLMap, inserts: Array<[string, unknown]>, deletes: Pair[], ctx: EditContext, depth: number): void {
  const { text, style } = ctx;
  const json = isJsonStyle(map);
  const rendered = inserts.map(([k, v]) => `${flowKey(k, json)}: ${flowValue(v, json)}`);
  const remaining = [...deletes];
  const multiline = map.items.length > 0 && lineStart(text, keyStart(map.items[map.items.length - 1]!)) !== lineStart(text, map.range![0]);
  if (rendered.length > 0 && remaining.length > 0) {
    const gone = remaining.shift()!;
    const sep = multiline ? `,${style.eol}${' '.repeat(column(text, keyStart(gone)))}` : ', ';
    ctx.edits.push({ start: keyStart(gone), end: contentEnd(text, gone.value), text: rendered.join(sep), depth });
  } else if (rendered.length > 0) {
    if (map.items.length === 0) {
      const at = map.range![0] + 1;
      ctx.edits.push({ start: at, end: at, text: rendered.join(', '), depth });
    } else {
      const last = map.items[map.items.length - 1]!;
      const at = contentEnd(text, last.value ?? last.key);
      const sep = multiline ? `,${style.eol}${' '.repeat(column(text, keyStart(last)))}` : ', ';
      ctx.edits.push({ start: at, end: at, text: rendered.map((r) => `${sep}${r}`).join(''), depth });
    }
  }
  for (const pair of remaining) {
    const index = map.items.indexOf(pair);
    const next = map.items[index + 1];
    const prev = map.items[index - 1];
    if (next && !remaining.includes(next)) ctx.edits.push({ start: keyStart(pair), end: keyStart(next), text: '', depth });
    else if (prev) ctx.edits.push({ start: contentEnd(text, prev.value ?? prev.key), end: contentEnd(text, pair.value ?? pair.key), text: '', depth });
    else ctx.edits.push({ start: keyStart(pair), end: contentEnd(text, pair.value ?? pair.key), text: '', depth });
  }
}

/** Edits applied to a text; refuses overlapping ones (they would come from a bug). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || b.depth - a.depth);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new EditRefused(e.start, 'two edits overlap; use --fix');
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
