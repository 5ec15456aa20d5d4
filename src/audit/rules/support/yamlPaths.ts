import type { YamlPath } from '../../types.js';

/** The value at `path` inside a parsed object, or undefined when any step is missing. */
export function valueAt(root: unknown, path: YamlPath): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/**
 * The longest prefix of `path` that exists in `root`: a finding about a missing field points at
 * the nearest parent that should hold it (issue 2, Positions).
 */
export function nearestExisting(root: unknown, path: YamlPath): YamlPath {
  let cur: unknown = root;
  const found: Array<string | number> = [];
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') break;
    const next = (cur as Record<string | number, unknown>)[key];
    if (next === undefined) break;
    found.push(key);
    cur = next;
  }
  return found;
}
