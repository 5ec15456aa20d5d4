/**
 * The audit CLI end to end: output shapes (JSON, SARIF 2.1.0), exit codes, bad input,
 * config, --fix and --fix-in-place.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { cliPath, fixturesDir, json, zerodrop } from './cli.js';
import { applyPatch } from '../../src/audit/patch.js';
import { auditText } from '../../src/audit/testing.js';

const fx = (name: string) => join(fixturesDir, 'audit', name);
const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'zerodrop-audit-'));
  temps.push(d);
  return d;
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('JSON output shape', () => {
  const { report } = json(['audit', fx('typos.yaml')]);
  it('has findings and errors with every documented key', () => {
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['findings', 'errors']));
    const f = report.findings.find((x: { rule: string }) => x.rule === 'unknown-field');
    expect(f).toMatchObject({
      rule: 'unknown-field',
      severity: 'error',
      file: fx('typos.yaml'),
      line: 20,
      column: 9,
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' },
      container: 'api',
      ruleOfUptime: null,
    });
    expect(typeof f.message).toBe('string');
    expect(typeof f.fix).toBe('string');
  });
  it('reports Dockerfile findings without an object (object: null)', () => {
    const { report: r } = json(['audit', fx('info.Dockerfile')]);
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'docker-healthcheck-ignored', object: null, container: null, line: 2, column: 1, ruleOfUptime: null }),
    ]);
  });
});

describe('SARIF output', () => {
  const r = zerodrop(['audit', fx('typos.yaml'), fx('info.Dockerfile'), '--format', 'sarif']);
  const sarif = JSON.parse(r.stdout);
  const run = sarif.runs[0];
  it('is SARIF 2.1.0 with a driver that lists rules with help text and a helpUri', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(run.tool.driver.name).toBe('zerodrop');
    for (const rule of run.tool.driver.rules) {
      expect(rule.id).toMatch(/^[a-z0-9-]+$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.help.text.length).toBeGreaterThan(10);
      expect(rule.helpUri).toMatch(new RegExp(`^https://.*/docs/rules/${rule.id}\\.md$`));
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
  });
  it('gives every result a physical location with a relative uri and a 1-based region', () => {
    expect(run.results.length).toBeGreaterThanOrEqual(3);
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^\//);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(0);
    }
    const info = run.results.find((x: { ruleId: string }) => x.ruleId === 'docker-healthcheck-ignored');
    expect(info.level).toBe('note');
    expect(info.locations[0].physicalLocation.region.startLine).toBe(2);
  });
});

describe('exit codes', () => {
  it('0 when nothing reaches --fail-on, 1 for findings, 2 for input errors', () => {
    expect(zerodrop(['audit', fx('healthy.yaml')]).code).toBe(0);
    expect(zerodrop(['audit', fx('typos.yaml')]).code).toBe(1);
    expect(zerodrop(['audit', fx('typos.yaml'), '--fail-on', 'never']).code).toBe(0);
    expect(zerodrop(['audit', fx('info.Dockerfile')]).code).toBe(0);
    expect(zerodrop(['audit', fx('info.Dockerfile'), '--fail-on', 'info']).code).toBe(1);
    expect(zerodrop(['audit', fx('malformed.yaml'), fx('typos.yaml')]).code).toBe(2);
  });
  it('2 for usage errors, with one line and no stack', () => {
    const r = zerodrop(['audit', fx('healthy.yaml'), '--kubernetes-version', 'banana']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid Kubernetes version "banana"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(zerodrop(['audit', fx('healthy.yaml'), '--propagation-seconds', '-1']).code).toBe(2);
    expect(zerodrop(['audit', fx('healthy.yaml'), '--format', 'xml']).code).toBe(2);
  });
});

describe('bad input', () => {
  it('malformed YAML: file:line:col in text, an errors entry in JSON, the other inputs still audited', () => {
    const text = zerodrop(['audit', fx('malformed.yaml'), fx('typos.yaml')]);
    expect(text.stdout).toMatch(/malformed\.yaml:6:1: invalid YAML/);
    expect(text.stdout).toMatch(/unknown-field/);
    const { report } = json(['audit', fx('malformed.yaml'), fx('typos.yaml')]);
    expect(report.errors).toEqual([expect.objectContaining({ line: 6, column: 1 })]);
    expect(report.findings.length).toBeGreaterThan(0);
  });
  it('a binary file and a missing path give one clear line each', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    const { code, report } = json(['audit', join(dir, 'image.yaml'), join(dir, 'nope.yaml')]);
    expect(code).toBe(2);
    expect(report.errors.map((e: { message: string }) => e.message)).toEqual([expect.stringMatching(/binary file/), expect.stringMatching(/no such file/)]);
  });
  it.skipIf(process.getuid?.() === 0)('an unreadable file is reported, not thrown', () => {
    const dir = tempDir();
    const p = join(dir, 'secret.yaml');
    writeFileSync(p, 'a: 1\n');
    chmodSync(p, 0o000);
    const { report } = json(['audit', p]);
    expect(report.errors[0].message).toMatch(/permission denied/);
  });
  it('an alias bomb is refused quickly', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(',')}]`,
      );
    const started = Date.now();
    const { code, report } = json(['audit', '-'], { input: `apiVersion: v1\nkind: ConfigMap\n${levels.join('\n')}\n` });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(code).toBe(2);
    expect(report.errors[0].message).toMatch(/aliases/);
  });
  it('a kustomize directory without kubectl says how to pipe it in', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    const r = zerodrop(['audit', dir], { env: { PATH: join(dir, 'no-bin') } });
    // The machine lacks kubectl: an environment error, not a fault in the input.
    expect(r.code).toBe(4);
    expect(r.stdout.replace(/\n +/g, ' ')).toMatch(/kubectl is not on PATH.*kustomize build .* \| zerodrop audit -/);
  });
  it('a huge file is refused with one line instead of being read', () => {
    const dir = tempDir();
    const p = join(dir, 'huge.yaml');
    writeFileSync(p, '');
    truncateSync(p, 65 * 1024 * 1024); // sparse: costs no disk or time
    const { code, report } = json(['audit', p]);
    expect(code).toBe(2);
    expect(report.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/too large/) })]);
  });
  it('reads JSON manifests', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'pod.json'),
      JSON.stringify(
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', readynessProbe: {} }] } },
        null,
        2,
      ),
    );
    const { report } = json(['audit', dir]);
    expect(report.findings.map((f: { rule: string; line: number }) => [f.rule, f.line])).toEqual([['unknown-field', 12]]);
  });
  it('recognises a Dockerfile by its content when named explicitly with another name', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'web.df'), 'FROM node:20\nCMD node server.js\n');
    expect(json(['audit', join(dir, 'web.df')]).report.findings.map((f: { rule: string }) => f.rule)).toEqual(['dockerfile-shell-form']);
  });
  it('reads stdin with -', () => {
    const { report } = json(['audit', '-'], { input: readFileSync(fx('typos.yaml'), 'utf8') });
    expect(report.findings.every((f: { file: string; rendered: boolean }) => f.file === '-' && f.rendered === true)).toBe(true);
    expect(report.findings.length).toBeGreaterThan(0);
  });
  it('skips YAML that is not a Kubernetes object, and says when nothing was left to audit', () => {
    const r = json(['audit', '-'], { input: 'name: chart\nversion: 1.0.0\n' });
    expect(r.report).toMatchObject({ findings: [], errors: [] });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/nothing to audit/);
  });
});

describe('config', () => {
  it('turns rules off and changes severities', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cfg.yaml'), 'rules:\n  unknown-field: off\n  pod-shell-command: info\n');
    const { code, report } = json(['audit', fx('typos.yaml'), '--config', join(dir, 'cfg.yaml')]);
    expect(report.findings.map((f: { rule: string; severity: string }) => `${f.rule}:${f.severity}`)).toEqual(['pod-shell-command:info']);
    expect(code).toBe(0);
  });
  it('an invalid config is a usage error at file:line:col', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.zerodrop.yaml'), 'propagationSeconds: 5\nrules:\n  unknown-feild: off\n');
    const r = zerodrop(['audit', fx('typos.yaml')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.zerodrop\.yaml:3:3: unknown rule "unknown-feild" \(did you mean "unknown-field"\?\)/);
  });
});

describe('--fix', () => {
  it('prints one strategic-merge patch per workload that resolves its fixable findings', () => {
    const r = zerodrop(['audit', fx('typos.yaml'), '--fix']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown-field/); // the report moved to stderr
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' } });
    // Applying the patch the way kustomize does makes the fixable findings go away.
    const original = parse(readFileSync(fx('typos.yaml'), 'utf8'));
    const patched = applyPatch(original, docs[0]);
    const left = auditText(JSON.stringify(patched), { rules: ['unknown-field', 'pod-shell-command'] });
    expect(left).toEqual([]);
  });
});

const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlPresent) console.warn('SKIPPING the kustomize --fix round trip: kubectl is not on PATH');

describe.skipIf(!kubectlPresent)('--fix with real kustomize', () => {
  it('the printed patch, added to the kustomization, leaves no fixable findings', () => {
    const dir = tempDir();
    cpSync(fx('typos.yaml'), join(dir, 'app.yaml'));
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    const before = json(['audit', dir]).report.findings.map((f: { rule: string }) => f.rule);
    expect(before).toEqual(expect.arrayContaining(['pod-shell-command', 'unknown-field']));
    const fix = zerodrop(['audit', dir, '--fix']);
    writeFileSync(join(dir, 'zerodrop-patch.yaml'), fix.stdout);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\npatches:\n- path: zerodrop-patch.yaml\n');
    const after = json(['audit', dir]);
    expect(after.report.errors).toEqual([]);
    expect(after.report.findings.map((f: { rule: string }) => f.rule)).not.toContain('pod-shell-command');
    expect(after.report.findings.map((f: { rule: string }) => f.rule)).not.toContain('unknown-field');
  });
});

describe('--fix-in-place', () => {
  it('edits the file, keeps comments, and leaves no fixable findings', () => {
    const dir = tempDir();
    cpSync(fx('typos.yaml'), join(dir, 'app.yaml'));
    const r = zerodrop(['audit', dir, '--fix-in-place']);
    const after = readFileSync(join(dir, 'app.yaml'), 'utf8');
    expect(r.stderr).toMatch(/fixed .*app\.yaml/);
    expect(after).toContain('# A deployment with two mistakes that --fix repairs.');
    expect(after).toContain('# dash, the /bin/sh of node:20-slim, never passes SIGTERM on');
    expect(after).toContain('readinessProbe:');
    expect(after).not.toContain('readynessProbe');
    // Layout kept: the flow list stays a flow list with its quotes, the renamed key keeps its value as written.
    expect(after).toContain('command: ["sh", "-c", "./migrate && exec node server.js"]');
    // The renamed key keeps its trailing comment on its own line.
    expect(after).toMatch(/readinessProbe: {3}# misspelt: dropped by the API server\n\s*httpGet: \{path: \/ready, port: 8080\}\n$/);
    expect(after.split('\n').slice(0, 18)).toEqual(readFileSync(fx('typos.yaml'), 'utf8').split('\n').slice(0, 18));
    expect(r.code).toBe(0);
  });
  it('writes nothing when any input failed to parse', () => {
    const dir = tempDir();
    cpSync(fx('typos.yaml'), join(dir, 'app.yaml'));
    cpSync(fx('malformed.yaml'), join(dir, 'broken.yaml'));
    const before = readFileSync(join(dir, 'app.yaml'), 'utf8');
    const r = zerodrop(['audit', dir, '--fix-in-place']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wrote nothing/);
    expect(readFileSync(join(dir, 'app.yaml'), 'utf8')).toBe(before);
  });
  it('does not edit kustomize output, and says to use --fix', () => {
    const dir = tempDir();
    cpSync(fx('typos.yaml'), join(dir, 'app.yaml'));
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    const before = readFileSync(join(dir, 'app.yaml'), 'utf8');
    const r = zerodrop(['audit', dir, '--fix-in-place']);
    expect(r.stderr).toMatch(/not edited .*rendered by kubectl kustomize; use --fix/);
    expect(readFileSync(join(dir, 'app.yaml'), 'utf8')).toBe(before);
  });
  it('refuses stdin', () => {
    const r = zerodrop(['audit', '-', '--fix-in-place'], { input: 'a: 1\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot edit stdin/);
  });
});

describe('--output and help', () => {
  it('writes the report to --output and nothing to stdout', () => {
    const dir = tempDir();
    const out = join(dir, 'report.sarif');
    const r = zerodrop(['audit', fx('typos.yaml'), '--format', 'sarif', '--output', out]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });
  it('teaches with examples, including the helm and kustomize pipes', () => {
    const r = zerodrop(['audit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/helm template .* \| zerodrop audit -/);
    expect(r.stdout).toMatch(/kustomize build .* \| zerodrop audit -/);
    expect(r.stdout).toMatch(/--fail-on/);
  });
});

describe('interrupts', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s while the audit reads stdin exits 130, like every other command', async (signal) => {
    const child = spawn(process.execPath, [cliPath, 'audit', '-'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, sig) => resolve([code, sig])));
    // More than a pipe holds: the write completes only once the audit is reading its input.
    await new Promise<void>((resolve, reject) => child.stdin.write('# padding\n'.repeat(40_000), (err) => (err ? reject(err) : resolve())));
    child.kill(signal);
    expect(await exited).toEqual([130, null]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('rules and explain', () => {
  it('lists rules', () => {
    const r = zerodrop(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dockerfile-shell-form\s+#1\s+error/m);
    // Under the heading of what it looks at: the image's main process comes first.
    expect(r.stdout).toMatch(/^RULE .*\n\nImages and processes: Dockerfiles, PID 1 and stop signals\ndockerfile-shell-form /);
    expect(r.stdout).toMatch(/\nSidecars and meshes\n(?:[a-z0-9-]+ .*\n)*sidecar-exits-first /);
  });
  it('lists rules as JSON with their group', () => {
    const r = zerodrop(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { groups: Array<{ id: string; title: string; rules: string[] }>; rules: Array<Record<string, unknown>> };
    expect(doc.groups[0]).toMatchObject({ id: 'images', title: 'Images and processes: Dockerfiles, PID 1 and stop signals' });
    expect(doc.rules.find((x) => x.id === 'stop-signal-mismatch')).toEqual({
      id: 'stop-signal-mismatch',
      looksAt: 'images',
      ruleOfUptime: 2,
      severity: 'error',
      fixable: false,
      summary: expect.stringContaining('unicorn'),
    });
    expect(doc.groups.flatMap((g) => g.rules)).toEqual(doc.rules.map((x) => x.id));
  });
  it('refuses an unknown --format for rules', () => {
    const r = zerodrop(['rules', '--format', 'sarif']);
    expect(r.code).toBe(2);
  });
  it('prints a rule page', () => {
    const r = zerodrop(['explain', 'stop-signal-mismatch']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# stop-signal-mismatch/);
  });
  it('suggests the closest rule for a typo', () => {
    const r = zerodrop(['explain', 'stop-signal-missmatch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown rule "stop-signal-missmatch"; did you mean "stop-signal-mismatch"\?/);
  });
});

describe('directories', () => {
  it.skipIf(!kubectlPresent)('renders only the outermost kustomizations of a tree (an overlay already includes its base)', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'base'));
    mkdirSync(join(dir, 'overlays', 'prod'), { recursive: true });
    cpSync(fx('typos.yaml'), join(dir, 'base', 'app.yaml'));
    writeFileSync(join(dir, 'base', 'kustomization.yaml'), 'resources: [app.yaml]\n');
    writeFileSync(join(dir, 'overlays', 'prod', 'kustomization.yaml'), 'resources: [../../base]\nnamePrefix: prod-\n');
    const { report } = json(['audit', dir]);
    expect(new Set(report.findings.map((f: { object: { name: string } }) => f.object.name))).toEqual(new Set(['prod-api']));
    // Positions are traced back through the overlay to the base file that wrote each field.
    expect(new Set(report.findings.map((f: { file: string }) => f.file))).toEqual(new Set([join(dir, 'base', 'app.yaml')]));
  });

  it('walks directories for manifests and Dockerfiles, skipping node_modules', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'web'));
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'web', 'Dockerfile'), 'FROM node:20\nCMD node server.js\n');
    writeFileSync(join(dir, 'node_modules', 'x', 'Dockerfile'), 'FROM node:20\nCMD node server.js\n');
    writeFileSync(join(dir, 'README.md'), '# not audited\n');
    const { report } = json(['audit', dir]);
    expect(report.findings.map((f: { rule: string; file: string }) => [f.rule, f.file.endsWith(join('web', 'Dockerfile'))])).toEqual([
      ['dockerfile-shell-form', true],
    ]);
  });
});
