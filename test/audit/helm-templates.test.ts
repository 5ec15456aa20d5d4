/**
 * `helm template … | zerodrop audit -`: findings name the template each document was rendered
 * from and the line within that rendered document, and say the line is in the rendered
 * template; --chart-root makes the path one that exists in the repository (SARIF resolves it).
 * helm is not installed here: the stream is test/fixtures/helm/shop-rendered.yaml, written in
 * helm's exact output layout (see the README beside it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helmPositionOf, helmStream, templatePath } from '../../src/audit/origins/helmTemplates.js';
import { fixturesDir, json, repoRoot, zerodrop } from './cli.js';

const stream = readFileSync(join(fixturesDir, 'helm', 'shop-rendered.yaml'), 'utf8');
const chartRoot = 'test/fixtures/helm/charts/shop';

/** Line of `text` within the `nth` document rendered from `template` (1 = the line after its `# Source:`). */
function lineInTemplate(template: string, text: string, nth = 0): number {
  const lines = stream.split('\n');
  const markers = lines.flatMap((l, i) => (l === `# Source: ${template}` ? [i] : []));
  const start = markers[nth]!;
  const end = lines.findIndex((l, i) => i > start && l === '---');
  const offset = lines.slice(start + 1, end === -1 ? undefined : end).findIndex((l) => l.includes(text));
  if (offset < 0) throw new Error(`${text} not in document ${nth} of ${template}`);
  return offset + 1;
}

describe('helm template output on stdin', () => {
  const { report } = json(['audit', '-'], { input: stream });
  const find = (rule: string, name: string) => report.findings.find((f: any) => f.rule === rule && f.object.name === name);

  it('names the template and the line within the document rendered from it', () => {
    expect(report.errors).toEqual([]);
    expect(find('prestop-missing', 'shop-web')).toMatchObject({
      file: 'shop/templates/deployment.yaml',
      line: lineInTemplate('shop/templates/deployment.yaml', '- name: web'),
      rendered: true,
      renderedBy: 'helm',
    });
  });

  it('counts lines per document when one template renders several, which helm prints apart', () => {
    // worker.yaml renders a PodDisruptionBudget (printed first), a Service and a Deployment (printed last).
    expect(find('pdb-blocks-eviction', 'shop-worker')).toMatchObject({
      file: 'shop/templates/worker.yaml',
      line: lineInTemplate('shop/templates/worker.yaml', 'maxUnavailable: 0', 0),
    });
    expect(find('grace-period-exhausted', 'shop-worker')).toMatchObject({
      file: 'shop/templates/worker.yaml',
      line: lineInTemplate('shop/templates/worker.yaml', 'terminationGracePeriodSeconds: 10', 2),
    });
  });

  it('says in text output that lines are within the rendered template', () => {
    // The note wraps at 100 columns after the path: joined again, it reads whole.
    const out = zerodrop(['audit', '-'], { input: stream }).stdout.replace(/\n +/g, ' ');
    expect(out).toContain('shop/templates/deployment.yaml  (helm template: lines are within the rendered template, not the template source)');
  });

  it('--chart-root: paths that exist in the repository, in JSON and SARIF', () => {
    const { report: rooted } = json(['audit', '-', '--chart-root', chartRoot], { input: stream });
    expect(new Set(rooted.findings.map((f: any) => f.file))).toEqual(new Set([`${chartRoot}/templates/deployment.yaml`, `${chartRoot}/templates/worker.yaml`]));
    for (const f of rooted.findings) expect(existsSync(join(repoRoot, f.file)), f.file).toBe(true);

    const sarif = JSON.parse(zerodrop(['audit', '-', '--chart-root', chartRoot, '--format', 'sarif'], { input: stream }).stdout);
    const r = sarif.runs[0].results.find((x: any) => x.ruleId === 'prestop-missing');
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: `${chartRoot}/templates/deployment.yaml`, uriBaseId: '%SRCROOT%' },
      region: { startLine: lineInTemplate('shop/templates/deployment.yaml', '- name: web') },
    });
    expect(r.message.text).toMatch(/rendered template/);
  });

  it('a document without a marker after helm output keeps its stream position', () => {
    const extra =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: extra\nspec:\n  template:\n    spec:\n      containers:\n      - name: x\n        image: x\n        readinesProbe: {}\n';
    const { report: mixed } = json(['audit', '-'], { input: `${stream}---\n${extra}` });
    const f = mixed.findings.find((x: any) => x.object?.name === 'extra');
    expect(f).toMatchObject({ file: '-', rendered: true, renderedBy: 'stdin' });
    expect(f.line).toBeGreaterThan(stream.split('\n').length - 1);
  });

  it('moves YAML errors of a rendered document to its template too', () => {
    const broken = stream.replace('  replicas: 3\n', '  replicas: [3\n');
    const { report: r, code } = json(['audit', '-'], { input: broken });
    expect(code).toBe(2);
    expect(r.errors[0]).toMatchObject({ file: 'shop/templates/deployment.yaml' });
    expect(r.errors[0].line).toBeLessThan(40);
  });
});

describe('helm markers', () => {
  const s = helmStream(stream)!;
  it('are found only as the first line of a document', () => {
    expect(helmStream('kind: ConfigMap\n# Source: x/templates/a.yaml\n')).toBeUndefined();
    expect(s.markers.map((m) => m.template)).toEqual([
      'shop/templates/worker.yaml',
      'shop/templates/service.yaml',
      'shop/templates/worker.yaml',
      'shop/templates/deployment.yaml',
      'shop/templates/worker.yaml',
    ]);
  });
  it('map a stream line to its template and the line after the marker', () => {
    const m = s.markers[3]!;
    expect(helmPositionOf(s, m.line + 1)).toEqual({ template: 'shop/templates/deployment.yaml', line: 1 });
    // The line before the `---` still belongs to the previous template's document.
    expect(helmPositionOf(s, m.line - 2)).toEqual({ template: 'shop/templates/worker.yaml', line: m.line - 2 - s.markers[2]!.line });
    expect(helmPositionOf(s, m.line)).toBeUndefined();
  });
  it('--chart-root replaces the chart name, keeping subchart paths', () => {
    expect(templatePath('shop/templates/a.yaml', 'deploy/shop')).toBe('deploy/shop/templates/a.yaml');
    expect(templatePath('shop/charts/redis/templates/b.yaml', 'deploy/shop/')).toBe('deploy/shop/charts/redis/templates/b.yaml');
    expect(templatePath('shop/templates/a.yaml', undefined)).toBe('shop/templates/a.yaml');
  });
});
