/**
 * The text report through the built CLI, on the rules' own fixtures (385 findings of 41 rules in
 * 46 directories): grouped by rule with one explanation each, 100 columns, --min-severity,
 * --quiet, and an --help that fits the same terminal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, json, repoRoot, zerodrop } from './cli.js';

const ruleFixtures = join(repoRoot, 'src', 'audit', 'rules', 'fixtures');
const fx = (name: string) => join(fixturesDir, 'audit', name);
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A line too wide for 100 columns is allowed only when it is one word that cannot be broken (a URL). */
function tooWide(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 100 && l.trim().includes(' '));
}

describe('audit text report on many findings', () => {
  const text = zerodrop(['audit', ruleFixtures, '--fail-on', 'never']);
  const { report } = json(['audit', ruleFixtures, '--fail-on', 'never']);
  const perRule = new Map<string, { severity: string; count: number }>();
  for (const f of report.findings) perRule.set(f.rule, { severity: f.severity, count: (perRule.get(f.rule)?.count ?? 0) + 1 });

  it('has one group per rule, errors first, and a summary whose counts are the JSON findings', () => {
    expect(text.code).toBe(0);
    const headers = [...text.stdout.matchAll(/^(error|warning|info) ([a-z0-9-]+) · .*?(\d+) findings?$/gm)];
    expect(headers.map((h) => h[2]).sort()).toEqual([...perRule.keys()].sort());
    const order = headers.map((h) => ['error', 'warning', 'info'].indexOf(h[1]!));
    expect(order).toEqual([...order].sort());
    for (const h of headers) expect(Number(h[3]), h[2]).toBe(perRule.get(h[2]!)!.count);
    const summary = text.stdout.slice(text.stdout.indexOf('Summary by rule'));
    for (const [rule, { severity, count }] of perRule) expect(summary).toMatch(new RegExp(`^ {2}${severity} +${rule} +${count}$`, 'm'));
    expect(text.stdout).toContain(`${report.findings.length} findings:`);
  });

  it("explains a rule's message once, however many objects it lists", () => {
    const prestop = report.findings.filter((f: { rule: string; messageId: string }) => f.rule === 'prestop-missing' && f.messageId === 'noPreStop');
    expect(prestop.length).toBeGreaterThan(3);
    expect(text.stdout.match(/deleted, while endpoint removal is still propagating/g)).toHaveLength(1);
    // Every finding still has its line: position and object.
    for (const f of prestop) expect(text.stdout).toMatch(new RegExp(`^ {4}${f.line}:${f.column} +${f.object.kind} `, 'm'));
  });

  it('fits 100 columns', () => {
    expect(tooWide(text.stdout)).toEqual([]);
  });
});

describe('choosing what the report shows', () => {
  it('--min-severity leaves lower findings out of the report, of every format, and of the exit code', () => {
    const all = json(['audit', ruleFixtures, '--fail-on', 'never']).report.findings;
    const info = all.filter((f: { severity: string }) => f.severity === 'info').length;
    expect(info).toBeGreaterThan(0);
    const warn = json(['audit', ruleFixtures, '--fail-on', 'never', '--min-severity', 'warning']).report.findings;
    expect(warn.length).toBe(all.length - info);
    expect(warn.every((f: { severity: string }) => f.severity !== 'info')).toBe(true);
    const text = zerodrop(['audit', ruleFixtures, '--fail-on', 'never', '--min-severity', 'warning']).stdout;
    expect(text).not.toMatch(/^info /m);
    expect(text).toContain(`${info} below warning not shown (--min-severity).`);
    // The Dockerfile has one info finding: failing on info fails, unless info is left out.
    expect(zerodrop(['audit', fx('info.Dockerfile'), '--fail-on', 'info']).code).toBe(1);
    const quietInfo = zerodrop(['audit', fx('info.Dockerfile'), '--fail-on', 'info', '--min-severity', 'warning']);
    expect(quietInfo.code).toBe(0);
    expect(quietInfo.stdout).toContain('No findings. 1 below warning not shown (--min-severity).');
  });

  it('minSeverity in .zerodrop.yaml, overridden by the flag; a bad value names the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerodrop-minsev-'));
    temps.push(dir);
    writeFileSync(join(dir, '.zerodrop.yaml'), 'minSeverity: error\n');
    expect(json(['audit', ruleFixtures, '--fail-on', 'never'], { cwd: dir }).report.findings.every((f: { severity: string }) => f.severity === 'error')).toBe(
      true,
    );
    const flag = json(['audit', ruleFixtures, '--fail-on', 'never', '--min-severity', 'info'], { cwd: dir }).report.findings;
    expect(flag.some((f: { severity: string }) => f.severity === 'info')).toBe(true);
    writeFileSync(join(dir, '.zerodrop.yaml'), 'failOn: never\nminSeverity: loud\n');
    const bad = zerodrop(['audit', fx('healthy.yaml')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\.zerodrop\.yaml:2:\d+.*minSeverity must be one of info, warning, error/);
    expect(zerodrop(['audit', fx('healthy.yaml'), '--min-severity', 'loud']).code).toBe(2);
  });

  it('--quiet prints one line per finding (greppable, unwrapped) and nothing at all when clean', () => {
    const { report } = json(['audit', ruleFixtures, '--fail-on', 'never']);
    const quiet = zerodrop(['audit', ruleFixtures, '--fail-on', 'never', '--quiet']);
    const lines = quiet.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(report.findings.length);
    for (const l of lines) expect(l).toMatch(/^\S.*:\d+:\d+ {2}(error|warning|info) {2}[a-z0-9-]+( {2}.+)?$/);
    const clean = zerodrop(['audit', fx('healthy.yaml'), '--quiet']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe('');
  });
});

describe('audit --help', () => {
  const help = zerodrop(['audit', '--help']).stdout;
  it('teaches how to read the report and choose what it shows, within 100 columns', () => {
    expect(tooWide(help)).toEqual([]);
    for (const s of ['Reading the report', 'grouped by rule', '--min-severity', '--quiet', 'Rules of Uptime', 'zerodrop explain RULE', 'minSeverity'])
      expect(help).toContain(s);
  });
});
