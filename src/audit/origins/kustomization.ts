/**
 * The parts of a kustomization file that write fields of the objects it renders: patches
 * (strategic-merge and JSON 6902, in files or inline), `replicas`, `images`, `namespace`, and the
 * ConfigMap/Secret generators. Each keeps its YAML node, so a finding can point at it.
 */
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { inlineRegion, type RegionCache, type YamlRegion } from './yamlRegion.js';

/** `target:` of a patch entry: which objects it applies to. */
export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  /** A regular expression, anchored, as kustomize matches it. */
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchEntry {
  /** The patch text: strategic-merge documents, or one JSON 6902 list of operations. */
  region: YamlRegion;
  target?: PatchTarget;
}

export interface NamedEntry {
  name: string;
  /** The entry's map in the kustomization file. */
  node: Node;
}

export interface Kustomization {
  file: string;
  region: YamlRegion;
  patchesStrategicMerge: PatchEntry[];
  patches: PatchEntry[];
  patchesJson6902: PatchEntry[];
  /** `replicas: [{name, count}]`, with the `count` value node. */
  replicas: Array<NamedEntry & { count: Node }>;
  /** `images: [{name, newName, newTag, digest}]`. */
  images: Array<NamedEntry & { newName?: string }>;
  /** The value node of `namespace:`. */
  namespace?: Node;
  /** configMapGenerator and secretGenerator entries, by generator kind. */
  generators: Record<'ConfigMapGenerator' | 'SecretGenerator', NamedEntry[]>;
}

function str(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function get(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => str(p.key) === key);
  return (pair?.value as Node | null | undefined) ?? undefined;
}

function seqItems(map: unknown, key: string): Node[] {
  const seq = get(map, key);
  return isSeq(seq) ? (seq.items as Node[]) : [];
}

function targetOf(node: unknown): PatchTarget | undefined {
  if (!isMap(node)) return undefined;
  const t: PatchTarget = {};
  for (const field of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const v = str(get(node, field));
    if (v !== undefined) t[field] = v;
  }
  return t;
}

export function readKustomization(file: string, cache: RegionCache): Kustomization | undefined {
  const region = cache.file(file);
  const root = region?.documents[0]?.contents;
  if (!region || !isMap(root)) return undefined;
  const dir = dirname(file);
  const fromFile = (path: string) => cache.file(resolve(dir, path));

  const entry = (item: Node, target?: PatchTarget): PatchEntry[] => {
    let patch: YamlRegion | undefined;
    if (isMap(item)) {
      const path = str(get(item, 'path'));
      patch = path !== undefined ? fromFile(path) : inlineRegion(region, get(item, 'patch'));
      target ??= targetOf(get(item, 'target'));
    } else {
      // patchesStrategicMerge lists file names, or whole patches inline.
      const text = str(item);
      if (text === undefined) return [];
      patch = text.includes('\n') || text.includes(':') ? inlineRegion(region, item) : fromFile(text);
    }
    if (!patch) return [];
    return [target ? { region: patch, target } : { region: patch }];
  };

  const named = (item: Node): NamedEntry | undefined => {
    const name = str(get(item, 'name'));
    return name === undefined ? undefined : { name, node: item };
  };

  const k: Kustomization = {
    file,
    region,
    patchesStrategicMerge: seqItems(root, 'patchesStrategicMerge').flatMap((i) => entry(i)),
    patches: seqItems(root, 'patches').flatMap((i) => entry(i)),
    patchesJson6902: seqItems(root, 'patchesJson6902').flatMap((i) => entry(i)),
    replicas: [],
    images: [],
    generators: { ConfigMapGenerator: [], SecretGenerator: [] },
  };
  for (const item of seqItems(root, 'replicas')) {
    const n = named(item);
    const count = get(item, 'count');
    if (n && count) k.replicas.push({ ...n, count });
  }
  for (const item of seqItems(root, 'images')) {
    const n = named(item);
    const newName = str(get(item, 'newName'));
    if (n) k.images.push(newName === undefined ? n : { ...n, newName });
  }
  const namespace = get(root, 'namespace');
  if (namespace && str(namespace) !== undefined) k.namespace = namespace;
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMapGenerator'],
    ['secretGenerator', 'SecretGenerator'],
  ] as const) {
    for (const item of seqItems(root, field)) {
      const n = named(item);
      if (n) k.generators[kind].push(n);
    }
  }
  return k;
}

/** For callers that hold a map node: its scalar field as text. */
export function fieldText(map: YAMLMap | Node | undefined, key: string): string | undefined {
  return str(get(map, key));
}
