/**
 * The CI formats, as the systems that read them do: GitHub workflow commands parsed and
 * unescaped the way the runner does, GitLab Code Quality checked against the fields GitLab
 * requires, JUnit XML checked by xmllint. Positions come from a kustomize overlay, so each
 * format is shown placing findings on the files that wrote them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatGithub } from '../../src/audit/format/github.js';
import type { AuditResult } from '../../src/audit/types.js';
import { fixturesDir, zerodrop } from './cli.js';
import { at, kubectlPresent } from './positions.js';

const root = join(fixturesDir, 'kustomize-origins');
const grace = () => ({ file: 'overlays/staging/grace.yaml', ...at(join(root, 'overlays/staging/grace.yaml'), 'terminationGracePeriodSeconds: 10', '10') });
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A workflow command as the runner reads it (actions/runner ActionCommand.TryParseV2). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } | undefined {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return undefined;
  const unescapeValue = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = pair.indexOf('=');
    properties[pair.slice(0, i)] = unescapeValue(pair.slice(i + 1));
  }
  return { command: m[1]!, properties, message: unescapeValue(m[3]!) };
}

describe.skipIf(!kubectlPresent)('--format github (workflow annotations)', () => {
  const r = zerodrop(['audit', 'overlays/staging', '--format', 'github'], { cwd: root });
  const commands = r.stdout.split('\n').flatMap((l) => parseCommand(l) ?? []);

  it('one annotation per finding, on the file and line that wrote the field, exit code as usual', () => {
    expect(r.code).toBe(1);
    const g = commands.find((c) => c.properties.title === 'zerodrop grace-period-exhausted')!;
    const w = grace();
    expect(g).toMatchObject({ command: 'error', properties: { file: w.file, line: String(w.line), col: String(w.column) } });
    expect(g.message).toMatch(/\[Deployment staging\/staging-api, container api\]\nFix: /);
    expect(new Set(commands.map((c) => c.command))).toEqual(new Set(['error', 'warning', 'notice']));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^zerodrop: 5 findings/);
  });

  it('escapes what would end a property or the message, and the runner unescapes it back', () => {
    const tricky: AuditResult = {
      findings: [{ rule: 'x', messageId: 'x', severity: 'warning', message: '100% sure: a, b\r\nnext', file: 'dir,with:odd%name.yaml', line: 3, column: 2 }],
      errors: [{ file: '-', message: 'stdin: bad' }],
    };
    const [finding, error] = formatGithub(tricky)
      .split('\n')
      .map((l) => parseCommand(l)!);
    expect(finding!.properties.file).toBe('dir,with:odd%name.yaml');
    expect(finding!.message).toBe('100% sure: a, b\r\nnext');
    expect(error).toMatchObject({ command: 'error', properties: { title: 'zerodrop: input error' }, message: 'stdin: bad' });
    expect(error!.properties.file).toBeUndefined();
  });
});

describe.skipIf(!kubectlPresent)('--format codequality (GitLab Code Quality)', () => {
  const issues = JSON.parse(zerodrop(['audit', 'overlays/staging', '--format', 'codequality'], { cwd: root }).stdout);

  it('every issue has the fields GitLab requires, with a relative path and a unique fingerprint', () => {
    expect(issues.length).toBe(5);
    for (const i of issues) {
      expect(Object.keys(i).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity']);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
      expect(i.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(i.location.path).not.toMatch(/^(\/|\.\/)/);
      expect(Number.isInteger(i.location.lines.begin) && i.location.lines.begin >= 1).toBe(true);
    }
    expect(new Set(issues.map((i: any) => i.fingerprint)).size).toBe(issues.length);
    const g = issues.find((i: any) => i.check_name === 'grace-period-exhausted');
    expect(g).toMatchObject({ severity: 'major', location: { path: grace().file, lines: { begin: grace().line } } });
  });

  it('fingerprints survive edits that move lines, so the merge request widget keeps its history', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerodrop-cq-'));
    temps.push(dir);
    cpSync(root, dir, { recursive: true });
    const grace = join(dir, 'overlays/staging/grace.yaml');
    writeFileSync(grace, `# shorter grace in staging\n\n${readFileSync(grace, 'utf8')}`);
    const moved = JSON.parse(zerodrop(['audit', 'overlays/staging', '--format', 'codequality'], { cwd: dir }).stdout);
    const byCheck = (list: any[]) => Object.fromEntries(list.map((i) => [i.check_name, i]));
    const before = byCheck(issues);
    const after = byCheck(moved);
    expect(after['grace-period-exhausted'].location.lines.begin).toBe(before['grace-period-exhausted'].location.lines.begin + 2);
    for (const check of Object.keys(before)) expect(after[check].fingerprint, check).toBe(before[check].fingerprint);
  });
});

const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
if (!xmllint) console.warn('SKIPPING the JUnit well-formedness check: xmllint (Debian libxml2-utils) is not installed');

describe.skipIf(!kubectlPresent)('--format junit', () => {
  const xml = zerodrop(['audit', 'overlays/staging', '--format', 'junit'], { cwd: root }).stdout;

  it.skipIf(!xmllint)('is well-formed XML', () => {
    const r = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('one suite per file with a failed case per finding, and a passing case when clean', () => {
    expect(xml).toMatch(/<testsuites name="zerodrop audit" tests="5" failures="5" errors="0">/);
    const w = grace();
    expect(xml).toContain(`<testsuite name="${w.file}" tests="1" failures="1" errors="0">`);
    expect(xml).toMatch(
      new RegExp(
        `<testcase classname="${w.file}" name="grace-period-exhausted [^"]*" file="${w.file}" line="${w.line}">\\s*<failure type="grace-period-exhausted"`,
      ),
    );
    const clean = zerodrop(['audit', join(fixturesDir, 'audit', 'healthy.yaml'), '--format', 'junit']).stdout;
    expect(clean).toContain('<testcase classname="zerodrop" name="no findings"/>');
  });
});
