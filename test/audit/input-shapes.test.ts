/**
 * Inputs that used to crash the audit or mislead it, through the CLI: objects of the wrong shape
 * are positioned input errors (exit 2, a catalogue code), never a crash or a finding; YAML reads
 * the way kubectl reads it (merge keys, UTF-16 with a BOM, duplicate keys refused), and what
 * zerodrop refuses it calls by its name (too deep, an alias to another document).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, zerodrop } from './cli.js';
import { WEB_DEPLOYMENT } from './manifests.js';

const dir = mkdtempSync(join(tmpdir(), 'zerodrop-shapes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const DEPLOYMENT = WEB_DEPLOYMENT;

const noCrash = (r: { stdout: string; stderr: string }) => {
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/a bug in zerodrop|internal error|\n\s+at \S+:\d+:\d+/);
};

describe('object shapes are checked once, at the boundary', () => {
  it('replicas: "3" is a positioned input error, not a misleading single-replica finding', () => {
    const p = write('quoted.yaml', DEPLOYMENT.replace('replicas: 3', 'replicas: "3"'));
    const { code, report } = json(['audit', p]);
    expect(code).toBe(2);
    expect(report.errors).toEqual([
      expect.objectContaining({
        line: 5,
        column: 13,
        code: 'manifest-wrong-type',
        message: expect.stringMatching(/spec\.replicas must be an integer, got the string "3"; remove the quotes/),
      }),
    ]);
    expect(report.findings).toEqual([]);
  });

  it.each([
    ['matchExpressions that is not a list', 'matchExpressions: {key: app, operator: In, values: [web]}', 'spec.selector.matchExpressions must be a list'],
    ['values that is not a list', 'matchExpressions: [{key: app, operator: In, values: web}]', 'values must be a list'],
    ['a null expression', 'matchExpressions: [null]', 'is an empty list item'],
  ])('a PodDisruptionBudget with %s: a positioned error naming the field, never exit 70', (_name, selector, message) => {
    const p = write(
      'pdb.yaml',
      `${DEPLOYMENT}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  maxUnavailable: 1\n  selector:\n    ${selector}\n`,
    );
    const r = zerodrop(['audit', p]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`pdb\\.yaml:2[12]:\\d+: PodDisruptionBudget web: .*${message.replace(/[.[\]]/g, '\\$&')}`));
    noCrash(r);
  });

  it('a container without a name is an input error at the container, and no rule fails', () => {
    const p = write('unnamed.yaml', DEPLOYMENT.replace('- name: web\n        image', '- image'));
    const { code, report } = json(['audit', p]);
    expect(code).toBe(2);
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 11, code: 'manifest-missing-field', message: expect.stringMatching(/containers\[0\] has no name/) }),
    ]);
    noCrash({ stdout: JSON.stringify(report), stderr: '' });
  });

  it('env written as a mapping says how to write a list', () => {
    const p = write('envmap.yaml', DEPLOYMENT.replace('        ports:', '        env: {MODE: prod}\n        ports:'));
    const { report } = json(['audit', p]);
    expect(report.errors[0]).toMatchObject({
      line: 13,
      message: expect.stringMatching(/env must be a list, got a mapping; write each item on its own "- " line/),
    });
  });
});

describe('YAML read as kubectl reads it', () => {
  const utf16 = (text: string, le: boolean) => {
    const body = Buffer.from(text, 'utf16le');
    if (!le) body.swap16();
    return Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
  };

  it('UTF-16 with a byte-order mark (LE and BE) is decoded, with the same findings as UTF-8', () => {
    const utf8 = json(['audit', write('u8.yaml', DEPLOYMENT)]).report.findings.map((f: { rule: string; line: number }) => `${f.rule}@${f.line}`);
    expect(utf8.length).toBeGreaterThan(0);
    for (const le of [true, false]) {
      const { code, report } = json(['audit', write(`u16${le ? 'le' : 'be'}.yaml`, utf16(DEPLOYMENT, le))]);
      expect(report.errors).toEqual([]);
      expect(report.findings.map((f: { rule: string; line: number }) => `${f.rule}@${f.line}`)).toEqual(utf8);
      expect(code).toBe(1);
    }
  });

  it('UTF-16 without a byte-order mark is named as such, not "binary"', () => {
    const { report } = json(['audit', write('nobom.yaml', Buffer.from(DEPLOYMENT, 'utf16le'))]);
    expect(report.errors).toEqual([
      expect.objectContaining({ code: 'input-not-text', message: expect.stringMatching(/UTF-16 text without a byte-order mark/) }),
    ]);
  });

  it('valid deeply nested JSON is read up to 256 levels, and past that called too deep, not invalid YAML', () => {
    const nested = (depth: number) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} }).replace(
        /\}$/,
        `,"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      );
    expect(json(['audit', write('ok.json', nested(250))]).report.errors).toEqual([]);
    for (const depth of [300, 5000]) {
      const { code, report } = json(['audit', write(`deep${depth}.json`, nested(depth))]);
      expect(code).toBe(2);
      expect(report.errors).toEqual([
        expect.objectContaining({ line: 1, code: 'yaml-too-deep', message: expect.stringMatching(/nested more than 256 levels/) }),
      ]);
    }
  });

  it('block nesting, by indentation or by compact "- - -" sequences, is read up to 256 levels and past that called too deep', () => {
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nextra:\n';
    const indented = (depth: number) => `${head}${Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')}${' '.repeat(depth + 2)}v\n`;
    const compact = (depth: number) => `${head}${'- '.repeat(depth)}x\n`;
    expect(json(['audit', write('ok-indented.yaml', indented(200))]).report.errors).toEqual([]);
    expect(json(['audit', write('ok-compact.yaml', compact(200))]).report.errors).toEqual([]);
    for (const [name, text, line] of [
      ['indented', indented(300), 305],
      ['compact', compact(300), 6],
    ] as const) {
      const { code, report } = json(['audit', write(`deep-${name}.yaml`, text)]);
      expect(code).toBe(2);
      expect(report.errors).toEqual([expect.objectContaining({ line, code: 'yaml-too-deep' })]);
    }
  });

  it('an alias to an anchor of another document is named as such, not an alias bomb', () => {
    const p = write(
      'crossdoc.yaml',
      `${DEPLOYMENT.replace('  template:', '  template: &tpl')}---\n${DEPLOYMENT.replace(/ {2}template:[\s\S]*$/, '  template: *tpl\n')}`,
    );
    const { report } = json(['audit', p]);
    expect(report.errors).toEqual([
      expect.objectContaining({
        line: 21,
        column: 13,
        code: 'yaml-bad-alias',
        message: expect.stringMatching(/alias \*tpl has no anchor &tpl before it in this document/),
      }),
    ]);
  });

  it('a repeated key is refused at the repeat, as kubectl refuses it', () => {
    const { code, report } = json(['audit', write('dup.yaml', DEPLOYMENT.replace('  replicas: 3\n', '  replicas: 3\n  replicas: 1\n'))]);
    expect(code).toBe(2);
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 6, column: 3, code: 'yaml-duplicate-key', message: expect.stringMatching(/duplicate key "replicas"/) }),
    ]);
  });

  // The pattern real manifests use: the first container anchors its settings, the next merges them.
  const MERGED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  minReadySeconds: 10
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - &container
        name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        readinessProbe: {tcpSocket: {port: 80}}
        lifecycle: {preStop: {sleep: {seconds: 5}}}
      - <<: *container
        name: metrics
        ports: [{containerPort: 9090}]
        readinessProbe: {tcpSocket: {port: 9090}}
`;

  it('merge keys (<<) resolve as kubectl resolves them: no findings about fields the merge supplies', () => {
    const rules = json(['audit', write('merged.yaml', MERGED)]).report.findings.map((f: { rule: string }) => f.rule);
    expect(rules).not.toContain('readiness-probe-missing');
    expect(rules).not.toContain('prestop-missing');
    expect(rules).not.toContain('unknown-field');
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!kubectl)('the same findings as for the objects kubectl kustomize renders from the same file', () => {
    const k = mkdtempSync(join(dir, 'kustomize-'));
    writeFileSync(join(k, 'app.yaml'), MERGED);
    writeFileSync(join(k, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    const direct = json(['audit', join(k, 'app.yaml')]).report.findings.map((f: { rule: string; container: string | null }) => `${f.rule}/${f.container}`);
    const rendered = json(['audit', k]).report.findings.map((f: { rule: string; container: string | null }) => `${f.rule}/${f.container}`);
    expect(rendered.sort()).toEqual(direct.sort());
  });
});
