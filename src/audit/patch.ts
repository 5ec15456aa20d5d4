/**
 * Strategic-merge patches for `--fix`: rules describe a change as a value at a path, this module
 * turns it into the deep-partial patch shape kustomize applies (containers matched by name),
 * merges the patches of every finding of one workload, and applies them to plain objects.
 */
import type { KubeObject } from '../k8s/objects.js';
import type { StrategicPatch, YamlPath } from './types.js';

/** Lists Kubernetes merges by a key instead of replacing (patchMergeKey in k8s.io/api). */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A patch setting `value` at `path` (from the object root). List indices under merge-keyed lists
 * become `[{ name: <the item's name>, ... }]`; `null` deletes a key (strategic merge semantics).
 */
export function patchAt(object: KubeObject, path: YamlPath, value: unknown): StrategicPatch {
  const build = (cur: unknown, i: number): unknown => {
    if (i === path.length) return value;
    const seg = path[i]!;
    if (typeof seg === 'number') {
      const listKey = path[i - 1];
      const mergeKey = typeof listKey === 'string' ? MERGE_KEYS[listKey] : undefined;
      const item = Array.isArray(cur) ? cur[seg] : undefined;
      if (!mergeKey || !isRecord(item) || item[mergeKey] === undefined) throw new Error(`cannot patch list ${String(listKey)}[${seg}] by key`);
      const inner = build(item, i + 1);
      return [{ [mergeKey]: item[mergeKey], ...(isRecord(inner) ? inner : {}) }];
    }
    const next = isRecord(cur) ? cur[seg] : undefined;
    return { [seg]: build(next, i + 1) };
  };
  return build(object, 0) as StrategicPatch;
}

/** A merge-keyed list with `items` merged in: same key → combined, new key → appended. */
function mergeByKey(base: readonly unknown[], items: readonly unknown[], mergeKey: string, combine: (a: unknown, b: unknown) => unknown): unknown[] {
  const out = [...base];
  for (const item of items) {
    const idx = isRecord(item) ? out.findIndex((e) => isRecord(e) && e[mergeKey] === item[mergeKey]) : -1;
    if (idx >= 0) out[idx] = combine(out[idx], item);
    else out.push(item);
  }
  return out;
}

/** Deep merge of two patches; merge-keyed lists merge item by item. Later values win on conflicts. */
export function mergePatches(a: StrategicPatch, b: StrategicPatch): StrategicPatch {
  const merge = (x: unknown, y: unknown, key: string | undefined): unknown => {
    if (isRecord(x) && isRecord(y)) {
      const out: Record<string, unknown> = { ...x };
      for (const [k, v] of Object.entries(y)) out[k] = k in out ? merge(out[k], v, k) : v;
      return out;
    }
    const mk = key ? MERGE_KEYS[key] : undefined;
    if (Array.isArray(x) && Array.isArray(y) && mk) return mergeByKey(x, y, mk, (a, b) => merge(a, b, undefined));
    return y;
  };
  return merge(a, b, undefined) as StrategicPatch;
}

/** Applies a strategic-merge patch to a plain object (a copy is returned): what kustomize would produce. */
export function applyPatch<T>(target: T, patch: StrategicPatch): T {
  const apply = (t: unknown, p: unknown, key: string | undefined): unknown => {
    if (isRecord(p)) {
      const out: Record<string, unknown> = isRecord(t) ? { ...t } : {};
      for (const [k, v] of Object.entries(p)) {
        if (v === null) delete out[k];
        else out[k] = apply(out[k], v, k);
      }
      return out;
    }
    const mk = key ? MERGE_KEYS[key] : undefined;
    if (Array.isArray(p) && mk && Array.isArray(t)) return mergeByKey(t, p, mk, (a, b) => apply(a, b, undefined));
    return p;
  };
  return apply(target, patch, undefined) as T;
}
