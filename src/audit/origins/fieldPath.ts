/**
 * Finding the same field in another YAML text. A rendered object names list items by index
 * (`containers[1]`), but a base file and a patch name them by merge key (`- name: app`), and
 * their indices need not agree; so a path is first turned into steps that say, per list, which
 * item is meant the way a strategic-merge patch would.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { YamlPath } from '../types.js';
import { mergeKeyOf } from './mergeKeys.js';

/** A map key (`wholeList`: its value is a list without merge key), or a list item by merge key or by index. */
export type FieldStep = { key: string; wholeList?: true } | { index: number; match?: { field: string; value: string } };

/** Steps for `path` in the rendered `object`: list items by merge key where the list has one, else by index. */
export function stepsOf(object: unknown, path: YamlPath): FieldStep[] {
  const steps: FieldStep[] = [];
  let cur: unknown = object;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (typeof seg === 'number') {
      const item = Array.isArray(cur) ? cur[seg] : undefined;
      const key = mergeKeyOf(path.slice(0, i));
      const value = key && item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;
      steps.push(key && value !== undefined && value !== null ? { index: seg, match: { field: key, value: String(value) } } : { index: seg });
      cur = item;
    } else {
      cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[seg] : undefined;
      steps.push(Array.isArray(cur) && mergeKeyOf(path.slice(0, i + 1)) === undefined ? { key: seg, wholeList: true } : { key: seg });
    }
  }
  return steps;
}

export interface FieldHit {
  /** Offset where a finding on this field points, by the same convention as `positionOf`. */
  anchor: number;
  node: Node;
  /**
   * True when the text that holds the field sets it as a whole: a scalar, a list without merge
   * key, anything inside such a list, or under `$patch: replace`. False for a map or keyed list
   * that a strategic-merge patch only merges into.
   */
  whole: boolean;
}

function deref(document: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;
}

function replaces(node: unknown): boolean {
  if (isMap(node)) return node.items.some((p) => scalarText(p.key) === '$patch' && scalarText(p.value) === 'replace');
  if (isSeq(node)) return node.items.some((item) => replaces(item) && isMap(item) && item.items.length === 1);
  return false;
}

/** The item's anchor: its `name:` key when it has one (a container), else where it starts. */
export function itemAnchor(item: unknown): number | undefined {
  if (isMap(item)) {
    const name = item.items.find((p) => scalarText(p.key) === 'name');
    const r = (name?.key as Node | undefined)?.range;
    if (r) return r[0];
  }
  return (item as Node | undefined)?.range?.[0];
}

/** The field `steps` lead to under `root`, or undefined when the text does not hold it. */
export function findField(document: Document.Parsed, root: Node, steps: readonly FieldStep[]): FieldHit | undefined {
  let cur: unknown = deref(document, root);
  let anchor = (root.range ?? [0])[0];
  let whole = replaces(cur);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    let next: unknown;
    if ('key' in step) {
      if (!isMap(cur)) return undefined;
      const pair = cur.items.find((p) => scalarText(p.key) === step.key);
      if (!pair || pair.value === null || pair.value === undefined) return undefined;
      const keyRange = (pair.key as Node).range;
      if (keyRange) anchor = keyRange[0];
      next = deref(document, pair.value);
      if (isScalar(next) && i === steps.length - 1) anchor = (pair.value as Node).range?.[0] ?? anchor;
    } else {
      if (!isSeq(cur)) return undefined;
      if (step.match) {
        const { field, value } = step.match;
        next = cur.items
          .map((it) => deref(document, it))
          .find((it) => isMap(it) && it.items.some((p) => scalarText(p.key) === field && scalarText(p.value) === value));
      } else {
        // A list without merge key is written whole, so its items are where the writer put them.
        whole = true;
        next = deref(document, cur.items[step.index]);
      }
      if (next === undefined || next === null) return undefined;
      anchor = itemAnchor(next) ?? anchor;
    }
    cur = next;
    if (replaces(cur)) whole = true;
  }
  const last = steps[steps.length - 1];
  if (isScalar(cur) || (last && 'key' in last && last.wholeList)) whole = true;
  return { anchor, node: cur as Node, whole };
}

/** The scalar value of a hit as text, for comparing with the rendered value. */
export function hitScalar(hit: FieldHit): string | undefined {
  return scalarText(hit.node);
}

/**
 * The path (from the object root) of the field a finding points at, given the offset it points
 * to in the rendered text: the inverse of `positionOf`. The shallowest field anchored there
 * wins, so a container's `name:` line is the container, not its name.
 */
export function pathAtOffset(document: Document.Parsed, root: Node, offset: number): YamlPath | undefined {
  if (root.range?.[0] === offset) return [];
  const visit = (node: unknown, path: YamlPath): YamlPath | undefined => {
    const n = deref(document, node);
    if (isMap(n)) {
      for (const pair of n.items) {
        const key = scalarText(pair.key);
        if (key === undefined) continue;
        const p = [...path, key];
        if ((pair.key as Node).range?.[0] === offset) return p;
        const v = pair.value as Node | null;
        if (!v) continue;
        if (isScalar(deref(document, v))) {
          if (v.range?.[0] === offset) return p;
        } else if (v.range && offset >= v.range[0] && offset < v.range[2]) {
          const found = visit(v, p);
          if (found) return found;
        }
      }
    } else if (isSeq(n)) {
      for (let i = 0; i < n.items.length; i++) {
        const item = deref(document, n.items[i]);
        const p = [...path, i];
        if (itemAnchor(item) === offset) return p;
        const r = (item as Node | undefined)?.range;
        if (r && offset >= r[0] && offset < r[2]) {
          const found = visit(item, p);
          if (found) return found;
        }
      }
    }
    return undefined;
  };
  return visit(root, []);
}
