/**
 * Findings in a kustomize overlay land where the offending field was written: the base file, the
 * patch (strategic merge or JSON 6902, in a file or inline) or component that set or changed it,
 * or the kustomization field (replicas, images, namespace, generators) that did. Rendering goes
 * through a temporary wrapper with kustomize's build metadata and never touches the user's files.
 * Fixtures: test/fixtures/kustomize-origins (README there); the talk's seed demo as well.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSources } from '../../src/audit/sources.js';
import { parseYamlSource } from '../../src/audit/yamlSource.js';
import { TraceContext, traceKustomizeField } from '../../src/audit/origins/kustomizeTrace.js';
import { writeWrapperKustomization } from '../../src/audit/origins/kustomizeBuild.js';
import { RegionCache } from '../../src/audit/origins/yamlRegion.js';
import type { YamlPath } from '../../src/audit/types.js';
import { fixturesDir, json, seedDemoDir, seedPresent, zerodrop } from './cli.js';
import { at, kubectlPresent } from './positions.js';

const root = join(fixturesDir, 'kustomize-origins');
const fx = (p: string) => join(root, p);
const container = ['spec', 'template', 'spec', 'containers', 0];

const renders = new Map<string, ReturnType<typeof render>>();
/** Each directory is rendered once per file; tracing is what the cases vary. */
function rendered(dir: string): ReturnType<typeof render> {
  if (!renders.has(dir)) renders.set(dir, render(dir));
  return renders.get(dir)!;
}

async function render(dir: string) {
  const { sources, errors } = await collectSources([fx(dir)], { cwd: root });
  expect(errors).toEqual([]);
  const source = sources[0]!;
  const { parsed } = parseYamlSource(source);
  const ctx = new TraceContext(new RegionCache());
  return {
    source,
    trace(kind: string, name: string, path: YamlPath) {
      const i = parsed.objects.findIndex((o) => o.object.kind === kind && o.object.metadata?.name === name);
      expect(i, `${kind} ${name} in the rendered ${dir}`).toBeGreaterThanOrEqual(0);
      const lo = parsed.objects[i]!;
      const origin = source.kustomize!.documents[parsed.documents.indexOf(lo.document)]!;
      const t = traceKustomizeField(ctx, origin, lo.object, path);
      return t && { file: relative(root, t.file), line: t.line, column: t.column, writtenBy: t.writtenBy };
    },
  };
}

type Case = [what: string, kind: string, name: string, path: YamlPath, file: string, line: string | RegExp, pointAt: string | undefined, writtenBy: string];

function traces(dir: string, cases: Case[]) {
  it.each(cases)('%s', async (_what, kind, name, path, file, line, pointAt, writtenBy) => {
    const r = await rendered(dir);
    expect(r.trace(kind, name, path)).toEqual({ file, ...at(fx(file), line, pointAt), writtenBy });
  });
}

function treeSnapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((f) => `${f} ${statSync(f).mtimeMs} ${readFileSync(f, 'utf8').length}`);
}

describe.skipIf(!kubectlPresent)('tracing fields through kustomize', () => {
  describe('overlays/staging: a component, patches that add, change and replace, transformers, a merged generator', () => {
    traces('overlays/staging', [
      [
        'replicas set by the replicas transformer',
        'Deployment',
        'staging-api',
        ['spec', 'replicas'],
        'overlays/staging/kustomization.yaml',
        'count: 1',
        '1',
        'kustomization',
      ],
      [
        'a field a strategic-merge patch changes',
        'Deployment',
        'staging-api',
        ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'],
        'overlays/staging/grace.yaml',
        'terminationGracePeriodSeconds: 10',
        '10',
        'patch',
      ],
      [
        'a field a strategic-merge patch adds',
        'Deployment',
        'staging-api',
        [...container, 'lifecycle', 'preStop', 'sleep', 'seconds'],
        'overlays/staging/grace.yaml',
        'seconds: 8',
        '8',
        'patch',
      ],
      [
        'a probe a component adds',
        'Deployment',
        'staging-api',
        [...container, 'livenessProbe'],
        'components/probes/liveness.yaml',
        'livenessProbe:',
        undefined,
        'patch',
      ],
      [
        'a field of the probe the component adds',
        'Deployment',
        'staging-api',
        [...container, 'livenessProbe', 'periodSeconds'],
        'components/probes/liveness.yaml',
        'periodSeconds: 5',
        '5',
        'patch',
      ],
      [
        'a probe field only the base has',
        'Deployment',
        'staging-api',
        [...container, 'readinessProbe', 'periodSeconds'],
        'base/deployment.yaml',
        'periodSeconds: 5',
        '5',
        'resource',
      ],
      [
        'a field inside a map an inline JSON 6902 patch replaces',
        'Deployment',
        'staging-api',
        ['spec', 'strategy', 'type'],
        'overlays/staging/kustomization.yaml',
        'type: Recreate',
        'Recreate',
        'patch',
      ],
      [
        'the map an inline JSON 6902 patch replaces',
        'Deployment',
        'staging-api',
        ['spec', 'strategy'],
        'overlays/staging/kustomization.yaml',
        'value:',
        undefined,
        'patch',
      ],
      [
        'an image the images transformer retags',
        'Deployment',
        'staging-api',
        [...container, 'image'],
        'overlays/staging/kustomization.yaml',
        '- name: ghcr.io/example/api',
        'name',
        'kustomization',
      ],
      [
        'the namespace the namespace transformer sets',
        'Deployment',
        'staging-api',
        ['metadata', 'namespace'],
        'overlays/staging/kustomization.yaml',
        'namespace: staging',
        'staging',
        'kustomization',
      ],
      ['a name namePrefix extends', 'Deployment', 'staging-api', ['metadata', 'name'], 'base/deployment.yaml', /^ {2}name: api$/, 'api', 'resource'],
      [
        'a container the base declares and patches merge into',
        'Deployment',
        'staging-api',
        container,
        'base/deployment.yaml',
        '- name: api',
        'name',
        'resource',
      ],
      [
        'a reference a generator hash rewrote',
        'Deployment',
        'staging-api',
        [...container, 'envFrom', 0, 'configMapRef', 'name'],
        'base/deployment.yaml',
        'name: api-config',
        'api-config',
        'resource',
      ],
      [
        'generated data an overlay generator merged',
        'ConfigMap',
        'staging-api-config-47668c6k28',
        ['data', 'LOG_LEVEL'],
        'overlays/staging/kustomization.yaml',
        '- name: api-config',
        'name',
        'kustomization',
      ],
      [
        'a Service field from the base',
        'Service',
        'staging-api',
        ['spec', 'ports', 0, 'targetPort'],
        'base/service.yaml',
        'targetPort: http',
        'http',
        'resource',
      ],
    ]);
  });

  describe('overlays/prod-eu: nested local bases, each level with its own patch', () => {
    traces('overlays/prod-eu', [
      [
        'a field a JSON 6902 patch file adds two levels up',
        'Deployment',
        'api-eu',
        [...container, 'readinessProbe', 'timeoutSeconds'],
        'overlays/prod-eu/timeout.yaml',
        'value: 9',
        '9',
        'patch',
      ],
      [
        'a list the middle overlay sets',
        'Deployment',
        'api-eu',
        [...container, 'lifecycle', 'preStop', 'exec', 'command'],
        'overlays/prod/prestop.yaml',
        'command:',
        'command',
        'patch',
      ],
      [
        'an item of that list',
        'Deployment',
        'api-eu',
        [...container, 'lifecycle', 'preStop', 'exec', 'command', 1],
        'overlays/prod/prestop.yaml',
        'command:',
        '"2"',
        'patch',
      ],
      ['a field no overlay touches', 'Deployment', 'api-eu', ['spec', 'replicas'], 'base/deployment.yaml', 'replicas: 3', '3', 'resource'],
    ]);
  });

  describe('overlays/replaced: replacements are not traced', () => {
    it('a field a replacement copied is untraceable (it would otherwise point at a line holding another value)', async () => {
      const r = await rendered('overlays/replaced');
      expect(r.trace('Deployment', 'worker', ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'])).toBeUndefined();
    });
    it("the same object's other fields still trace", async () => {
      const r = await rendered('overlays/replaced');
      expect(r.trace('Deployment', 'worker', ['spec', 'replicas'])).toEqual({
        file: 'overlays/replaced/worker.yaml',
        ...at(fx('overlays/replaced/worker.yaml'), 'replicas: 2', '2'),
        writtenBy: 'resource',
      });
    });
  });

  const overlays = ['base', 'overlays/staging', 'overlays/prod', 'overlays/prod-eu', 'overlays/replaced'].map((d) => fx(d));
  const seedDirs = seedPresent ? ['k8s', 'kustom-probes', 'kustom-probes-prestop'].map((d) => join(seedDemoDir, d)) : [];
  it.each([...overlays, ...seedDirs])('audits exactly the stream `kubectl kustomize` prints for %s', async (dir) => {
    const { sources } = await collectSources([dir]);
    expect(sources[0]!.kustomize?.documents.length).toBeGreaterThan(0);
    expect(sources[0]!.text).toBe(spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }).stdout);
  });

  it('never writes into the user tree, and removes its wrapper kustomization', async () => {
    const before = treeSnapshot(root);
    zerodrop(['audit', fx('overlays/staging'), fx('overlays/prod-eu')]);
    expect(treeSnapshot(root)).toEqual(before);
    const w = writeWrapperKustomization(fx('overlays/staging'));
    expect(readFileSync(join(w.dir, 'kustomization.yaml'), 'utf8')).toContain('buildMetadata: [originAnnotations, transformerAnnotations]');
    w.remove();
    expect(existsSync(w.dir)).toBe(false);
  });
});

describe.skipIf(!kubectlPresent)('zerodrop audit on an overlay names the files that wrote each field', () => {
  const expected: Record<string, [file: string, line: string | RegExp, pointAt?: string]> = {
    'grace-period-exhausted': ['overlays/staging/grace.yaml', 'terminationGracePeriodSeconds: 10', '10'],
    'single-replica': ['overlays/staging/kustomization.yaml', 'count: 1', '1'],
    'recreate-strategy': ['overlays/staging/kustomization.yaml', 'type: Recreate', 'Recreate'],
    'liveness-mirrors-readiness': ['components/probes/liveness.yaml', 'livenessProbe:'],
  };
  const where = (rule: string) => {
    const [file, line, pointAt] = expected[rule]!;
    return { file, ...at(fx(file), line, pointAt) };
  };

  it('JSON: file, line and column of the writer, not marked rendered', () => {
    const { report } = json(['audit', 'overlays/staging'], { cwd: root });
    expect(report.errors).toEqual([]);
    for (const rule of Object.keys(expected)) {
      const f = report.findings.find((x: { rule: string }) => x.rule === rule);
      expect({ file: f?.file, line: f?.line, column: f?.column }, rule).toEqual(where(rule));
    }
    for (const f of report.findings) {
      expect(f.rendered, `${f.rule} at ${f.file}`).toBeUndefined();
      expect(existsSync(fx(f.file)), f.file).toBe(true);
    }
  });

  it('text: grouped under the real files, with their own line:column', () => {
    const out = zerodrop(['audit', 'overlays/staging'], { cwd: root }).stdout;
    for (const rule of Object.keys(expected)) {
      const w = where(rule);
      // Grouped by rule: the rule's header, then the file, then the finding's line:column under it.
      expect(out).toMatch(new RegExp(`^\\w+ ${rule} .*\\n(?: .*\\n)*? {2}${w.file}\\n(?: {4}.*\\n)*? {4}${w.line}:${w.column} `, 'm'));
    }
    expect(out).not.toContain('rendered by kubectl kustomize');
  });

  it('SARIF: relative URIs under %SRCROOT% with the writer line and column', () => {
    const sarif = JSON.parse(zerodrop(['audit', 'overlays/staging', '--format', 'sarif'], { cwd: root }).stdout);
    for (const rule of Object.keys(expected)) {
      const w = where(rule);
      const r = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === rule);
      expect(r.locations[0].physicalLocation).toEqual({
        artifactLocation: { uri: w.file, uriBaseId: '%SRCROOT%' },
        region: { startLine: w.line, startColumn: w.column },
      });
    }
  });

  it('an untraceable field points into the rendered stream and says so, in every format', () => {
    const { report } = json(['audit', 'overlays/replaced'], { cwd: root });
    const f = report.findings.find((x: { rule: string; object: { name: string } }) => x.rule === 'grace-period-exhausted' && x.object.name === 'worker');
    expect(f).toMatchObject({ file: 'overlays/replaced', rendered: true, renderedBy: 'kustomize' });
    const rendered = spawnSync('kubectl', ['kustomize', fx('overlays/replaced')], { encoding: 'utf8' }).stdout.split('\n');
    expect(rendered[f.line - 1]).toMatch(/terminationGracePeriodSeconds: 10/);
    // Traceable findings of the same run still name their files.
    expect(report.findings.filter((x: { file: string }) => x.file === 'overlays/replaced/worker.yaml').length).toBeGreaterThan(0);

    // The note wraps at 100 columns after the path: joined again, it reads whole.
    const text = zerodrop(['audit', 'overlays/replaced'], { cwd: root }).stdout.replace(/\n +/g, ' ');
    expect(text).toContain('overlays/replaced  (rendered by kubectl kustomize: not traced to a file, positions refer to the rendered stream)');
    const sarif = JSON.parse(zerodrop(['audit', 'overlays/replaced', '--format', 'sarif'], { cwd: root }).stdout);
    const r = sarif.runs[0].results.find(
      (x: { ruleId: string; message: { text: string } }) => x.ruleId === 'grace-period-exhausted' && x.message.text.includes('worker'),
    );
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('overlays/replaced/kustomization.yaml');
    expect(r.message.text).toContain(`${f.line}:${f.column}`);
  });
});

if (!seedPresent) console.warn(`SKIPPING the seed demo tracing test: ${seedDemoDir} not found (expected ../shared next to the repository)`);
describe.skipIf(!kubectlPresent || !seedPresent)("the talk's demo overlays: findings on the seed's own lines", () => {
  it('kustom-probes-prestop: base, first-level patch and second-level patch each get their findings', () => {
    const { report } = json(['audit', 'kustom-probes-prestop'], { cwd: seedDemoDir });
    const pos = (rule: string) => {
      const f = report.findings.find((x: { rule: string }) => x.rule === rule);
      return f && { file: f.file, line: f.line, column: f.column };
    };
    const s = (file: string, line: string | RegExp, pointAt?: string) => ({ file, ...at(join(seedDemoDir, file), line, pointAt) });
    expect(pos('liveness-outpaces-readiness')).toEqual(s('kustom-probes/patch.yaml', 'failureThreshold: 1', '1'));
    expect(pos('prestop-prefer-sleep-action')).toEqual(s('kustom-probes-prestop/patch.yaml', 'exec:'));
    expect(pos('pdb-missing')).toEqual(s('k8s/nginx/deploy.yaml', /^ {2}name: nginx$/, 'nginx'));
    expect(pos('surge-blocked-by-host-port')).toEqual(s('k8s/traefik/deployment.yaml', 'hostPort: 80', '80'));
  });
});
