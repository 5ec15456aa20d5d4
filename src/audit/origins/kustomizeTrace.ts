/**
 * Which file wrote a field of a rendered kustomize object: the base resource, a patch, or a
 * transformer field of a kustomization (`replicas`, `images`, `namespace`), replayed in the order
 * kustomize applied them (the object's transformations annotation).
 *
 * A field set as a whole (a scalar, a list without merge key) belongs to the last text that set
 * it. A map or keyed list (a container, a probe) belongs to the text that created it: the base
 * when it has it, else the first patch that mentions it; a later strategic-merge patch only
 * merges into it. When the text we settle on holds a different value than the rendered object
 * (a transformer we do not replay changed it), the field is reported as untraceable rather than
 * pointed at a line that says something else.
 */
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { KubeObject } from '../../k8s/objects.js';
import type { YamlPath } from '../types.js';
import type { Position } from '../yamlSource.js';
import { findField, hitScalar, itemAnchor, stepsOf, type FieldHit } from './fieldPath.js';
import { mergeKeyOf } from './mergeKeys.js';
import { fieldText, readKustomization, type Kustomization, type PatchEntry, type PatchTarget } from './kustomization.js';
import type { DocumentOrigin } from './kustomizeBuild.js';
import type { RegionCache, YamlRegion } from './yamlRegion.js';

export interface TracedField extends Position {
  /** Absolute path of the file that wrote the field. */
  file: string;
  /** resource: the base file; patch: a patch (file or inline); kustomization: a transformer field or generator entry. */
  writtenBy: 'resource' | 'patch' | 'kustomization';
}

/** Files and kustomizations read while tracing one audit run. */
export class TraceContext {
  readonly regions: RegionCache;
  readonly #kustomizations = new Map<string, Kustomization | undefined>();
  constructor(regions: RegionCache) {
    this.regions = regions;
  }
  kustomization(file: string): Kustomization | undefined {
    if (!this.#kustomizations.has(file)) this.#kustomizations.set(file, readKustomization(file, this.regions));
    return this.#kustomizations.get(file);
  }
}

type Write =
  | { effect: 'sets' | 'mentions'; region: YamlRegion; anchor: number; value: string | undefined; writtenBy: TracedField['writtenBy']; exactValue: boolean }
  /** A JSON patch replaced an ancestor with a value that lacks the field: what came before no longer counts. */
  | { effect: 'erases' };

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function metaOf(root: unknown): { kind?: string; name?: string; namespace?: string } {
  if (!isMap(root)) return {};
  const meta = root.items.find((p) => isScalar(p.key) && p.key.value === 'metadata')?.value;
  const out: { kind?: string; name?: string; namespace?: string } = {};
  const kind = fieldText(root, 'kind');
  const name = fieldText(meta as Node | undefined, 'name');
  const namespace = fieldText(meta as Node | undefined, 'namespace');
  if (kind !== undefined) out.kind = kind;
  if (name !== undefined) out.name = name;
  if (namespace !== undefined) out.namespace = namespace;
  return out;
}

/** The document of a multi-document base file that the rendered object came from. */
function pickDocument(region: YamlRegion, object: KubeObject): Document.Parsed | undefined {
  const sameKind = region.documents.filter((d) => metaOf(d.contents).kind === object.kind);
  if (sameKind.length <= 1) return sameKind[0];
  const rendered = object.metadata?.name ?? '';
  const exact = sameKind.find((d) => metaOf(d.contents).name === rendered);
  if (exact) return exact;
  // namePrefix/nameSuffix: the base name is inside the rendered one; the longest such name is the best match.
  return sameKind
    .filter((d) => rendered.includes(metaOf(d.contents).name ?? '\0'))
    .sort((a, b) => (metaOf(b.contents).name ?? '').length - (metaOf(a.contents).name ?? '').length)[0];
}

interface Subject {
  object: KubeObject;
  /** Names the object is known by to patches: the rendered one and the base file's. */
  names: Set<string>;
}

function selectorMatches(selector: string | undefined, values: Record<string, string> | undefined): boolean {
  if (selector === undefined) return true;
  for (const term of selector.split(',').map((t) => t.trim())) {
    const eq = /^([^=!\s]+)\s*==?\s*(\S*)$/.exec(term);
    const ne = /^([^=!\s]+)\s*!=\s*(\S*)$/.exec(term);
    if (eq) {
      if (values?.[eq[1]!] !== eq[2]) return false;
    } else if (ne) {
      if (values?.[ne[1]!] === ne[2]) return false;
    } else if (/^[\w./-]+$/.test(term)) {
      if (values?.[term] === undefined) return false;
    }
    // Set-based terms (`in`, `notin`) are not evaluated: the patch's own fields still have to match.
  }
  return true;
}

function targetMatches(t: PatchTarget, s: Subject): boolean {
  const o = s.object;
  if (t.kind !== undefined && t.kind !== o.kind) return false;
  if (t.group !== undefined || t.version !== undefined) {
    const [group, version] = (o.apiVersion ?? '').includes('/') ? (o.apiVersion ?? '').split('/') : ['', o.apiVersion ?? ''];
    if (t.group !== undefined && t.group !== group) return false;
    if (t.version !== undefined && t.version !== version) return false;
  }
  if (t.name !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${t.name})$`);
    } catch {
      return false;
    }
    if (![...s.names].some((n) => re.test(n))) return false;
  }
  return selectorMatches(t.labelSelector, o.metadata?.labels) && selectorMatches(t.annotationSelector, o.metadata?.annotations);
}

function isJsonPatch(region: YamlRegion): boolean {
  const c = region.documents[0]?.contents;
  return isSeq(c) && c.items.every((op) => isMap(op) && fieldText(op, 'op') !== undefined);
}

function fromHit(region: YamlRegion, hit: FieldHit, writtenBy: TracedField['writtenBy'], effect?: 'sets' | 'mentions'): Write {
  return { effect: effect ?? (hit.whole ? 'sets' : 'mentions'), region, anchor: hit.anchor, value: hitScalar(hit), writtenBy, exactValue: true };
}

const IDENTITY_FIELDS = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);

/** A strategic-merge patch names its target and list items by these fields; writing them is not what it does. */
function identifiesOnly(path: YamlPath): boolean {
  const n = path.length;
  if (IDENTITY_FIELDS.has(path.join('.'))) return true;
  return n >= 2 && typeof path[n - 2] === 'number' && mergeKeyOf(path.slice(0, n - 2)) === path[n - 1];
}

function strategicWrites(entry: PatchEntry, s: Subject, path: YamlPath): Write[] {
  if (identifiesOnly(path)) return [];
  const steps = stepsOf(s.object, path);
  const writes: Write[] = [];
  for (const doc of entry.region.documents) {
    const meta = metaOf(doc.contents);
    const applies = entry.target
      ? targetMatches(entry.target, s) && (meta.kind === undefined || meta.kind === s.object.kind)
      : meta.kind === s.object.kind && s.names.has(meta.name ?? '');
    if (!applies || !doc.contents) continue;
    const hit = findField(doc, doc.contents, steps);
    if (hit) writes.push(fromHit(entry.region, hit, 'patch'));
  }
  return writes;
}

function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(object: unknown, path: YamlPath): unknown {
  let cur = object;
  for (const seg of path) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

/** Whether the JSON pointer segments `q` lead to `path` or one of its ancestors in the rendered object. */
function pointerCovers(q: string[], path: YamlPath, object: unknown): boolean {
  if (q.length > path.length) return false;
  return q.every((seg, i) => {
    const p = path[i]!;
    if (seg === String(p)) return true;
    // `-` appends: in the rendered object that item is the list's last.
    const list = valueAt(object, path.slice(0, i));
    return seg === '-' && Array.isArray(list) && p === list.length - 1;
  });
}

function jsonPatchWrites(entry: PatchEntry, s: Subject, path: YamlPath): Write[] {
  if (!entry.target || !targetMatches(entry.target, s)) return [];
  const doc = entry.region.documents[0]!;
  const ops = doc.contents;
  if (!isSeq(ops)) return [];
  const writes: Write[] = [];
  for (const op of ops.items) {
    if (!isMap(op)) continue;
    const kind = fieldText(op, 'op');
    const at = fieldText(op, 'path');
    if (at === undefined || !['add', 'replace', 'copy', 'move'].includes(kind ?? '')) continue;
    const q = pointer(at);
    if (!pointerCovers(q, path, s.object)) continue;
    const pathPair = op.items.find((p) => isScalar(p.key) && p.key.value === 'path');
    const valuePair = op.items.find((p) => isScalar(p.key) && p.key.value === 'value');
    if (kind === 'copy' || kind === 'move' || !valuePair?.value) {
      const anchor = (pathPair?.value as Node | undefined)?.range?.[0];
      if (anchor !== undefined) writes.push({ effect: 'sets', region: entry.region, anchor, value: undefined, writtenBy: 'patch', exactValue: false });
      continue;
    }
    const value = valuePair.value as Node;
    const rest = path.slice(q.length);
    if (rest.length === 0) {
      const anchor = isScalar(value) ? value.range?.[0] : (valuePair.key as Node).range?.[0];
      if (anchor !== undefined)
        writes.push({
          effect: 'sets',
          region: entry.region,
          anchor,
          value: isScalar(value) ? String(value.value) : undefined,
          writtenBy: 'patch',
          exactValue: true,
        });
      continue;
    }
    const hit = findField(doc, value, stepsOf(valueAt(s.object, path.slice(0, q.length)), rest));
    writes.push(hit ? fromHit(entry.region, hit, 'patch', 'sets') : { effect: 'erases' });
  }
  return writes;
}

function imageName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function transformerWrites(k: Kustomization, kind: string, s: Subject, path: YamlPath): Write[] {
  const at = (node: Node | undefined, exactValue: boolean): Write[] => {
    const anchor = (isMap(node) ? itemAnchor(node) : node?.range?.[0]) ?? undefined;
    return anchor === undefined
      ? []
      : [{ effect: 'sets', region: k.region, anchor, value: isScalar(node) ? String(node.value) : undefined, writtenBy: 'kustomization', exactValue }];
  };
  const key = path.join('.');
  switch (kind) {
    case 'PatchStrategicMergeTransformer':
      return k.patchesStrategicMerge.flatMap((e) => strategicWrites(e, s, path));
    case 'PatchTransformer':
      return k.patches.flatMap((e) => (isJsonPatch(e.region) ? jsonPatchWrites(e, s, path) : strategicWrites(e, s, path)));
    case 'PatchJson6902Transformer':
      return k.patchesJson6902.flatMap((e) => (isJsonPatch(e.region) ? jsonPatchWrites(e, s, path) : []));
    case 'ReplicaCountTransformer':
      return key === 'spec.replicas' ? k.replicas.filter((r) => s.names.has(r.name)).flatMap((r) => at(r.count, true)) : [];
    case 'NamespaceTransformer':
      return key === 'metadata.namespace' && k.namespace ? at(k.namespace, true) : [];
    case 'ImageTagTransformer': {
      const n = path.length;
      if (n < 3 || path[n - 1] !== 'image' || typeof path[n - 2] !== 'number' || !CONTAINER_LISTS.has(String(path[n - 3]))) return [];
      const image = valueAt(s.object, path);
      if (typeof image !== 'string') return [];
      return k.images.filter((i) => (i.newName ?? i.name) === imageName(image)).flatMap((i) => at(i.node, false));
    }
    default:
      return [];
  }
}

/** Values agree, allowing for names that namePrefix/nameSuffix or a generator hash extended. */
function sameValue(written: string, rendered: string, path: YamlPath): boolean {
  if (written === rendered) return true;
  return path[path.length - 1] === 'name' && rendered.includes(written);
}

/**
 * Where `path` (a field of the rendered `object`, or the nearest existing parent a finding points
 * at) was written, or undefined when it cannot be traced.
 */
export function traceKustomizeField(ctx: TraceContext, origin: DocumentOrigin, object: KubeObject, path: YamlPath): TracedField | undefined {
  const writes: Write[] = [];
  const names = new Set<string>([object.metadata?.name ?? '']);
  if ('untraceable' in origin.origin) return undefined;
  if ('file' in origin.origin) {
    const region = ctx.regions.file(origin.origin.file);
    const doc = region && pickDocument(region, object);
    if (!region || !doc?.contents) return undefined;
    const baseName = metaOf(doc.contents).name;
    if (baseName) names.add(baseName);
    const hit = findField(doc, doc.contents, stepsOf(object, path));
    if (hit) writes.push(fromHit(region, hit, 'resource', 'sets'));
  } else {
    // A generated ConfigMap or Secret belongs to its generator entry; an overlay's entry of the
    // same name (`behavior: merge` or `replace`) rewrites it, and the last one wins.
    const { kustomization, kind } = origin.origin.generatedBy;
    const rendered = object.metadata?.name ?? '';
    for (const file of new Set([kustomization, ...origin.transformations.map((t) => t.kustomization)])) {
      const k = ctx.kustomization(file);
      const entry = (k?.generators[kind as keyof Kustomization['generators']] ?? []).find((g) => rendered.includes(g.name));
      const anchor = entry && itemAnchor(entry.node);
      if (k && anchor !== undefined) writes.push({ effect: 'sets', region: k.region, anchor, value: undefined, writtenBy: 'kustomization', exactValue: false });
    }
    if (writes.length === 0) return undefined;
  }
  const subject: Subject = { object, names };
  const done = new Set<string>();
  for (const t of origin.transformations) {
    // One kustomization's transformer of one kind is applied once, over all its entries in order.
    const id = `${t.kustomization}\0${t.kind}`;
    if (done.has(id)) continue;
    done.add(id);
    const k = ctx.kustomization(t.kustomization);
    if (k) writes.push(...transformerWrites(k, t.kind, subject, path));
  }

  let chosen: Write | undefined;
  let firstMention: Write | undefined;
  for (const w of writes) {
    if (w.effect === 'erases') {
      chosen = firstMention = undefined;
    } else if (w.effect === 'sets') chosen = w;
    else firstMention ??= w;
  }
  const result = chosen ?? firstMention;
  if (!result || result.effect === 'erases') return undefined;
  const rendered = valueAt(object, path);
  if (result.exactValue && result.value !== undefined && rendered !== null && typeof rendered !== 'object' && !sameValue(result.value, String(rendered), path))
    return undefined;
  return { file: result.region.file, ...result.region.position(result.anchor), writtenBy: result.writtenBy };
}
