/**
 * Where each field of a parsed object was written, read from `yaml`'s node tree while the tree
 * is alive and kept instead of it. A large stream's node trees, kept through the audit, cost more
 * in garbage collection than the rest of the audit together (docs/benchmarks.md); this index is
 * a few numbers per field. A lookup answers exactly what walking the tree would: the same pair
 * (merge keys resolved as kubectl resolves them), the same anchor offsets.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { YamlPath } from './types.js';
import { deref, isMergeKey, itemAnchor, keyText, resolvedPairs } from './yamlNodes.js';

/** The node has no range: the lookup keeps the anchor it had. For a map value: not a scalar. */
const NO_OFFSET = -1;
/** The node holds no value (`- ` with nothing after it): a lookup stops at its parent. */
const NO_VALUE = -2;

/**
 * The index of one source. Each JavaScript map or list `toJS` returned → where its slots start
 * in one flat array: its field count, then per map key three slots (key text, offset of the key,
 * offset of the value when it is a scalar), per list item one (offset of the item's anchor: its
 * `name:` key, else its start). One array for the source, because a Map or an array per
 * container cost three to five times the memory (measured on the benchmark's fleet); a lookup,
 * made only for a finding, scans a handful of keys.
 */
export class FieldPositions {
  private readonly starts = new Map<object, number>();
  private readonly slots: Array<string | number> = [];

  /** Records the offsets of every field under `node`, whose `toJS` value is `value`. */
  record(document: Document.Parsed, node: unknown, value: unknown): void {
    // An alias's value is its anchor's very object: recorded once.
    if (value === null || typeof value !== 'object' || this.starts.has(value)) return;
    const n = deref(document, node);
    const { slots } = this;
    if (isMap(n) && !Array.isArray(value)) {
      const start = slots.length;
      this.starts.set(value, start);
      slots.push(0);
      const children: Array<[Node, unknown]> = [];
      const field = (key: string, pair: Pair) => {
        const v = pair.value as Node | null | undefined;
        const target = v === null || v === undefined ? undefined : deref(document, v);
        const valueOffset = target === undefined ? NO_VALUE : isScalar(target) && target.range ? (v!.range?.[0] ?? target.range[0]) : NO_OFFSET;
        slots.push(key, (pair.key as Node | null)?.range?.[0] ?? NO_OFFSET, valueOffset);
        slots[start] = (slots[start] as number) + 1;
        if (target !== undefined && Object.hasOwn(value, key)) children.push([v!, (value as Record<string, unknown>)[key]]);
      };
      // Most maps merge nothing, and a document with a repeated key is never audited: their own
      // pairs, in order, are what `pairOf` finds.
      if (n.items.some((p) => isMergeKey(p.key))) for (const [key, pair] of resolvedPairs(document, n)) field(key, pair);
      else
        for (const pair of n.items) {
          const key = keyText(pair.key);
          if (key !== undefined) field(key, pair);
        }
      // Children after this map's own slots, which must stay contiguous.
      for (const [child, childValue] of children) this.record(document, child, childValue);
    } else if (isSeq(n) && Array.isArray(value)) {
      this.starts.set(value, slots.length);
      slots.push(n.items.length);
      for (const item of n.items) slots.push(item === null || item === undefined ? NO_VALUE : (itemAnchor(document, item) ?? NO_OFFSET));
      n.items.forEach((item, i) => this.record(document, item, value[i]));
    }
  }

  /**
   * The offset a finding on `path` points to, from `object` written at `start`. An existing
   * scalar: its value. An existing map or list: the key that holds it. A missing field: the
   * nearest existing parent, at its key; a list item (a container) at its `name:` line.
   */
  offsetOf(object: object, start: number, path: YamlPath): number {
    const { slots } = this;
    let offset = start;
    let cur: unknown = object;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const at = cur !== null && typeof cur === 'object' ? this.starts.get(cur) : undefined;
      if (at === undefined) break;
      const count = slots[at] as number;
      if (!Array.isArray(cur)) {
        const key = String(seg);
        let k = 0;
        while (k < count && slots[at + 1 + 3 * k] !== key) k++;
        if (k === count) break;
        const keyOffset = slots[at + 2 + 3 * k] as number;
        const valueOffset = slots[at + 3 + 3 * k] as number;
        if (keyOffset !== NO_OFFSET) offset = keyOffset;
        if (valueOffset === NO_VALUE) break;
        if (valueOffset !== NO_OFFSET && i === path.length - 1) offset = valueOffset;
        cur = Object.hasOwn(cur as object, key) ? (cur as Record<string, unknown>)[key] : undefined;
      } else if (typeof seg === 'number' && Number.isInteger(seg) && seg >= 0 && seg < count) {
        const item = slots[at + 1 + seg] as number;
        if (item === NO_VALUE) break;
        if (item !== NO_OFFSET) offset = item;
        cur = cur[seg];
      } else break;
    }
    return offset;
  }
}
