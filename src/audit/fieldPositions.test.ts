import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Composer, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { sameValue } from '../k8s/probes.js';
import type { YamlPath } from './types.js';
import { deref, itemAnchor, pairOf } from './yamlNodes.js';
import { parseYamlSource, type LocatedObject } from './yamlSource.js';

/**
 * Where a finding points, by walking the node tree: what positionOf did before the index
 * replaced the tree, kept here as the reference the index must agree with.
 */
function treeOffset(document: Document.Parsed, root: Node, path: YamlPath): number {
  let cur: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    cur = deref(document, cur);
    let next: unknown;
    if (isMap(cur)) {
      const pair = pairOf(document, cur, seg);
      if (!pair) break;
      next = pair.value;
      const keyRange = (pair.key as Node | null)?.range;
      if (keyRange) offset = keyRange[0];
      if (next === null || next === undefined) break;
      const v = deref(document, next);
      if (isScalar(v) && i === path.length - 1 && v.range) offset = (next as Node).range?.[0] ?? v.range[0];
    } else if (isSeq(cur) && typeof seg === 'number') {
      next = cur.items[seg];
      if (next === undefined || next === null) break;
      offset = itemAnchor(document, next) ?? offset;
    } else break;
    cur = next;
  }
  return offset;
}

/** Every path into `value`, and past each: a missing key, an index out of range, a key under a scalar. */
function pathsOf(value: unknown, path: YamlPath = [], out: YamlPath[] = []): YamlPath[] {
  out.push(path, [...path, 'zz-missing'], [...path, 7], [...path, -1]);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  return out;
}

function expectSameOffsets(lo: LocatedObject): number {
  const { document, node } = lo;
  let n = 0;
  for (const path of pathsOf(lo.object)) {
    expect(lo.positions.offsetOf(lo.object, lo.offset, path), `${lo.source.file} ${lo.object.kind} ${JSON.stringify(path)}`).toBe(
      treeOffset(document, node, path),
    );
    n++;
  }
  return n;
}

function parse(text: string, file = 'positions.yaml') {
  const { parsed, errors } = parseYamlSource({ file, text, kind: 'yaml', origin: 'file' });
  expect(errors).toEqual([]);
  return parsed;
}

describe('the field position index', () => {
  it('points every path of every manifest in the repository where the node tree does', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    let objects = 0;
    let paths = 0;
    for (const file of files) {
      const { parsed } = parseYamlSource({ file, text: readFileSync(file, 'utf8'), kind: 'yaml', origin: 'file' });
      for (const lo of parsed.objects) {
        paths += expectSameOffsets(lo);
        objects++;
      }
    }
    // The repository's examples and rule fixtures: hundreds of objects, not a vacuous pass.
    expect(objects).toBeGreaterThan(300);
    expect(paths).toBeGreaterThan(50_000);
  });

  it('follows anchors, aliases and merge keys as kubectl resolves them', () => {
    const parsed = parse(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: merged
  labels: &labels
    app: web
    "80": port-like
    true: flag
spec:
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - &app
        name: app
        image: example/app:1
        env: &env
        - name: A
          value: "1"
        - {name: B, value: &b two}
        readinessProbe: &probe
          httpGet: {path: /ready, port: 8080}
          periodSeconds: 5
        livenessProbe:
          <<: *probe
          periodSeconds: 10
      - <<: [*app, {name: base, ports: [{containerPort: 1}]}]
        name: sidecar
        env: *env
        args: [*b, three]
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: empty-items}
spec:
  values: [one, ~, &x three, *x]
  list:
  -
  - run
  nothing:
  also: ~
`);
    expect(parsed.objects).toHaveLength(2);
    expect(expectSameOffsets(parsed.objects[1]!)).toBeGreaterThan(40);
    const [lo] = parsed.objects;
    expect(expectSameOffsets(lo!)).toBeGreaterThan(200);
    // A merged field points where it is written: the anchor's map, not the merging one.
    const text = parsed.source.text;
    const at = (path: YamlPath) => lo!.positions.offsetOf(lo!.object, lo!.offset, path);
    expect(text.slice(at(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'httpGet', 'path']))).toMatch(/^\/ready/);
    expect(text.slice(at(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'periodSeconds']))).toMatch(/^10\n/);
    expect(text.slice(at(['spec', 'template', 'spec', 'containers', 1, 'image']))).toMatch(/^example\/app:1/);
    expect(text.slice(at(['spec', 'template', 'spec', 'containers', 1]))).toMatch(/^name: sidecar/);
  });

  it('indexes List items and JSON as it indexes plain YAML', () => {
    const list = parse(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: a}
  spec: {ports: [{port: 80}]}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: b}
  data: {k: v}
`);
    expect(list.objects.map((o) => o.basePath)).toEqual([
      ['items', 0],
      ['items', 1],
    ]);
    for (const lo of list.objects) expectSameOffsets(lo);
    const json = parse('{"apiVersion":"v1","kind":"Service","metadata":{"name":"j"},"spec":{"ports":[{"port":80,"targetPort":"http"}]}}', 'j.json');
    expectSameOffsets(json.objects[0]!);
  });
});

describe('node trees after parsing', () => {
  const originals = { next: Composer.prototype.next, end: Composer.prototype.end };
  afterEach(() => Object.assign(Composer.prototype, originals));

  it('keeps none of them: the objects and the index are what stays alive', async () => {
    const composed: WeakRef<object>[] = [];
    const watch = (f: (this: Composer, ...a: never[]) => Generator<unknown>) =>
      function* (this: Composer, ...a: never[]) {
        for (const doc of f.apply(this, a)) {
          composed.push(new WeakRef(doc as object));
          yield doc;
        }
      };
    Composer.prototype.next = watch(originals.next as never) as never;
    Composer.prototype.end = watch(originals.end as never) as never;
    const docs = Array.from({ length: 20 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {ports: [{port: 80}]}\n`);
    const parsed = parse(docs.join('---\n'));
    Object.assign(Composer.prototype, originals);
    expect(composed).toHaveLength(20);
    // A WeakRef's target lives at least until the current job ends; then a full collection.
    await new Promise((r) => setTimeout(r, 0));
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    expect(composed.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(parsed.objects).toHaveLength(20);
    expect(parsed.objects[3]!.positions.offsetOf(parsed.objects[3]!.object, parsed.objects[3]!.offset, ['spec', 'ports', 0, 'port'])).toBe(
      parsed.source.text.indexOf('80}]}', parsed.source.text.indexOf('name: s3}')),
    );
  });

  it('composes them again on first use, once, for fix-in-place and tracing', () => {
    const parsed = parse(
      'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n# a comment\nnot: kubernetes\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n',
    );
    const [a, b] = parsed.objects;
    expect(parsed.documents).toHaveLength(3);
    expect(parsed.documents).toBe(parsed.documents);
    expect(b!.documentIndex).toBe(2);
    expect(b!.document).toBe(parsed.documents[2]);
    expect(a!.node).toBe(a!.node);
    expect(b!.node.range?.[0]).toBe(b!.offset);
    expect(sameValue(b!.document.toJS(), b!.object)).toBe(true);
    // The line counter the objects share is the first parse's, not doubled by the second.
    expect(parsed.lineCounter.lineStarts).toHaveLength(parsed.source.text.split('\n').length);
  });
});
