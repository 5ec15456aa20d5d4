/**
 * Reading `yaml`'s node tree the way kubectl reads the text: aliases resolved, and a key found
 * in its own map first, else through a merge key (`<<: *base`). Shared by the position index,
 * `--fix-in-place` and the kustomize tracer, so they agree on which node a field came from.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { YamlPath } from './types.js';

export function deref(document: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
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

/** A scalar key's text as a JavaScript object key names it (`80:` is "80"), or undefined for a merge key or a non-scalar key. */
export function keyText(key: unknown): string | undefined {
  return isScalar(key) && typeof key.value !== 'symbol' ? String(key.value) : undefined;
}

/**
 * The pairs a map's keys resolve to, by key text: its own first, then those inherited through
 * merge keys (`<<: *base`), depth first, earlier sources first, each map once, as YAML merge
 * (and kubectl) resolve them. The first pair recorded for a key is the one that key reads.
 */
export function resolvedPairs(document: Document.Parsed, map: YAMLMap): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  const seen = new Set<YAMLMap>();
  const visit = (m: YAMLMap) => {
    if (seen.has(m)) return;
    seen.add(m);
    for (const p of m.items) {
      const key = keyText(p.key);
      if (key !== undefined && !pairs.has(key)) pairs.set(key, p);
    }
    for (const p of m.items) {
      if (!isMergeKey(p.key)) continue;
      for (const source of mergeSources(document, p.value) ?? []) visit(source);
    }
  };
  visit(map);
  return pairs;
}

/** The pair holding `key` in `map`: its own, else one inherited through a merge key. */
export function pairOf(document: Document.Parsed, map: YAMLMap, key: string | number): Pair | undefined {
  return resolvedPairs(document, map).get(String(key));
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

/** Where a list item is pointed at: its `name:` key when it has one (a container), else where it starts. */
export function itemAnchor(document: Document.Parsed, item: unknown): number | undefined {
  const v = deref(document, item);
  if (isMap(v)) {
    const name = pairOf(document, v, 'name');
    const keyRange = (name?.key as Node | undefined)?.range;
    if (keyRange) return keyRange[0];
  }
  if (isPair(v)) return undefined;
  return (v as Node | undefined)?.range?.[0];
}
