import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import type { LiveObject } from './liveObjects.js';

/** A live object as YAML text (what `kubectl get -o yaml` shows, minus server bookkeeping), for the audit's YAML reader. */
export function liveObjectYaml(live: LiveObject): string {
  return stringify(live.object, { lineWidth: 0 });
}

/**
 * Turns a line:column in `liveObjectYaml` output back into the JSON-path-like location of the
 * node there (`spec.template.spec.containers[0].readinessProbe`), so a finding on a live object
 * names where in the object it is rather than a line of a file that does not exist.
 */
export function locationAt(yamlText: string, line: number, column: number): string {
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, keepSourceTokens: false });
  const offset = (counter.lineStarts[line - 1] ?? 0) + Math.max(0, column - 1);
  const path: Array<string | number> = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && pairContains(p.key as Node | null, p.value as Node | null, offset));
      if (!pair) break;
      path.push(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
      if (pair.key && inRange(pair.key as Node, offset)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => inRange(item as Node, offset));
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
      // The audit points at a list item (a container) by the start of its map, which is also
      // where the item's first key is: that position means the item.
      if ((isMap(node) || isSeq(node)) && node.range?.[0] === offset) break;
    } else break;
  }
  return formatPath(path);
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_][\w-]*$/.test(p) ? `${out === '' ? '' : '.'}${p}` : `[${JSON.stringify(p)}]`;
  return out === '' ? '.' : out;
}

function inRange(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && offset >= r[0] && offset < Math.max(r[1], r[0] + 1);
}

/** A pair spans from its key's start to its value's end. */
function pairContains(key: Node | null, value: Node | null, offset: number): boolean {
  const start = key?.range?.[0];
  const end = value?.range?.[2] ?? value?.range?.[1] ?? key?.range?.[1];
  return start !== undefined && end !== undefined && offset >= start && offset < Math.max(end, start + 1);
}
