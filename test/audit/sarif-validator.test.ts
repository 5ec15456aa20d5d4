/**
 * SARIF for code scanning, checked by Microsoft's official validator (the SARIF Multitool from
 * @microsoft/sarif-multitool) with its SARIF rules and the rules GitHub's ingestion applies
 * (`--rule-kind "Sarif;Ghas"`), on every kind of input: plain files with input errors, a traced
 * kustomize overlay, an untraceable field, helm output with and without --chart-root, a clean
 * run, and every message of every rule (message strings and their arguments). A broken log
 * goes through the same run and must fail, so a validator that silently checks nothing cannot
 * pass this test. Then what code scanning relies on: fingerprints stable
 * across runs and moved lines, helpUri to the rule pages, relative URIs under %SRCROOT%.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/audit/format/sarif.js';
import { auditBadFixtures } from '../../src/audit/rules/fixtures/badFixtures.js';
import { ruleMetas } from '../../src/audit/rules/index.js';
import { version } from '../../src/version.js';
import { cliPath, fixturesDir, repoRoot } from './cli.js';
import { kubectlPresent } from './positions.js';

/** The Multitool binary for this platform; the npm package resolves it, and throws where there is none. */
const multitool = (() => {
  try {
    const bin = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
})();
const cannotRun = (why: string) => console.warn(`SKIPPING the SARIF validator test: the SARIF Multitool (@microsoft/sarif-multitool) cannot run here: ${why}`);
if (!multitool) cannotRun(`no binary for ${process.platform}/${process.arch}`);

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'zerodrop-sarif-'));
  temps.push(d);
  return d;
};

function sarifOf(args: string[], options: { cwd?: string; input?: string } = {}): { text: string; log: any } {
  const r = spawnSync(process.execPath, [cliPath, 'audit', ...args, '--format', 'sarif'], {
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  expect([0, 1, 2], r.stderr).toContain(r.status);
  return { text: r.stdout, log: JSON.parse(r.stdout) };
}

const kustomize = join(fixturesDir, 'kustomize-origins');
const helmStream = readFileSync(join(fixturesDir, 'helm', 'shop-rendered.yaml'), 'utf8');

describe.skipIf(!multitool)('Microsoft SARIF validator', () => {
  it('finds no error or warning in any log zerodrop writes, and does find them in a broken one', (ctx) => {
    const dir = tempDir();
    const logs: Record<string, string> = {
      'files-and-input-errors': sarifOf([
        join(fixturesDir, 'audit', 'typos.yaml'),
        join(fixturesDir, 'audit', 'info.Dockerfile'),
        join(fixturesDir, 'audit', 'malformed.yaml'),
      ]).text,
      clean: sarifOf([join(fixturesDir, 'audit', 'healthy.yaml')]).text,
      'helm-stdin': sarifOf(['-'], { input: helmStream }).text,
      'helm-chart-root': sarifOf(['-', '--chart-root', 'test/fixtures/helm/charts/shop'], { input: helmStream }).text,
      ...(kubectlPresent
        ? {
            'kustomize-traced': sarifOf(['overlays/staging', 'overlays/prod-eu'], { cwd: kustomize }).text,
            'kustomize-untraced': sarifOf(['overlays/replaced'], { cwd: kustomize }).text,
          }
        : {}),
      // Every message of every rule, so every messageStrings template and its arguments are checked.
      'every-rule-message': formatSarif(auditBadFixtures(), ruleMetas()),
      broken: JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'r', message: { text: 'm' } }] }] }),
    };
    const files = Object.entries(logs).map(([name, text]) => {
      const f = join(dir, `${name}.sarif`);
      writeFileSync(f, text);
      return f;
    });
    const out = join(dir, 'validation.sarif');
    const r = spawnSync(
      multitool!,
      ['validate', ...files, '--level', 'Error;Warning', '--rule-kind', 'Sarif;Ghas', '--output', out, '--log', 'ForceOverwrite'],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EACCES' || code === 'ENOEXEC') {
      cannotRun(`${code} starting ${multitool}`);
      return ctx.skip();
    }
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const validation = JSON.parse(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''));
    const problems = new Map<string, string[]>();
    for (const res of validation.runs[0].results ?? []) {
      const file = fileURLToPath(res.locations[0].physicalLocation.artifactLocation.uri);
      const text = res.message.text ?? res.message.arguments?.join(' ') ?? res.message.id;
      problems.set(file, [...(problems.get(file) ?? []), `${res.level} ${res.ruleId}: ${text}`]);
    }
    for (const f of files.filter((f) => !f.endsWith('broken.sarif'))) expect(problems.get(f) ?? [], f).toEqual([]);
    expect(
      problems.get(join(dir, 'broken.sarif'))?.some((p) => p.startsWith('error GH')),
      'the validator reports GitHub ingestion errors',
    ).toBe(true);
    // Seven audits and a .NET process start in this one test: over a minute on a loaded machine.
  }, 300_000);
});

describe('SARIF for code scanning', () => {
  it('partialFingerprints: unique, equal across runs, unchanged when lines move', () => {
    const dir = tempDir();
    cpSync(join(fixturesDir, 'audit', 'typos.yaml'), join(dir, 'app.yaml'));
    const prints = () =>
      sarifOf(['app.yaml'], { cwd: dir }).log.runs[0].results.map((r: any) => ({
        rule: r.ruleId,
        line: r.locations[0].physicalLocation.region.startLine,
        print: r.partialFingerprints['zerodrop/v2'],
      }));
    const first = prints();
    expect(new Set(first.map((p: any) => p.print)).size).toBe(first.length);
    expect(prints()).toEqual(first);
    writeFileSync(join(dir, 'app.yaml'), `# moved down by three lines\n\n\n${readFileSync(join(dir, 'app.yaml'), 'utf8')}`);
    const moved = prints();
    expect(moved.map((p: any) => p.line)).toEqual(first.map((p: any) => p.line + 3));
    expect(moved.map((p: any) => p.print)).toEqual(first.map((p: any) => p.print));
  });

  it('helpUri: the rule page in docs/rules at this version, which the repository has; configurable', () => {
    const { log } = sarifOf([join(fixturesDir, 'audit', 'healthy.yaml')]);
    for (const rule of log.runs[0].tool.driver.rules) {
      expect(rule.helpUri).toBe(`https://github.com/zerodrop-dev/zerodrop/blob/v${version}/docs/rules/${rule.id}.md`);
      expect(existsSync(join(repoRoot, 'docs', 'rules', `${rule.id}.md`)), rule.id).toBe(true);
    }
    const custom = sarifOf([join(fixturesDir, 'audit', 'healthy.yaml'), '--docs-base-url', 'https://docs.example.com/zerodrop/rules/']).log;
    expect(custom.runs[0].tool.driver.rules[0].helpUri).toBe(`https://docs.example.com/zerodrop/rules/${custom.runs[0].tool.driver.rules[0].id}.md`);
    const dir = tempDir();
    writeFileSync(join(dir, '.zerodrop.yaml'), 'docsBaseUrl: https://wiki.example.com/k8s/zerodrop\n');
    cpSync(join(fixturesDir, 'audit', 'healthy.yaml'), join(dir, 'app.yaml'));
    expect(sarifOf(['app.yaml'], { cwd: dir }).log.runs[0].tool.driver.rules[0].helpUri).toMatch(/^https:\/\/wiki\.example\.com\/k8s\/zerodrop\/[a-z-]+\.md$/);
  });

  it('relative URIs under %SRCROOT%, which originalUriBaseIds resolves to the working directory', () => {
    const dir = tempDir();
    cpSync(join(fixturesDir, 'audit', 'typos.yaml'), join(dir, 'app.yaml'));
    const run = sarifOf(['app.yaml'], { cwd: dir }).log.runs[0];
    const root = run.originalUriBaseIds['%SRCROOT%'].uri;
    expect(root).toBe(pathToFileURL(`${dir}/`).href);
    for (const r of run.results) {
      const loc = r.locations[0].physicalLocation.artifactLocation;
      expect(loc).toEqual({ uri: 'app.yaml', uriBaseId: '%SRCROOT%' });
      expect(existsSync(fileURLToPath(new URL(loc.uri, root)))).toBe(true);
    }
  });
});
