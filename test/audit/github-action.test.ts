/**
 * action.yml run the way GitHub runs a composite action: steps in order, `if:` evaluated,
 * `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` substituted (inputs default from the file),
 * each `run:` written to a file and executed with `bash --noprofile --norc -eo pipefail`, outputs
 * read back from $GITHUB_OUTPUT. Steps that `uses:` another action (the SARIF upload) are
 * recorded with their evaluated `with:` instead of run: the script is under test, not GitHub.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, fixturesDir, repoRoot } from './cli.js';
import { kubectlPresent } from './positions.js';

interface Step {
  name: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
}

/** The expression subset action.yml uses: references, 'strings', ==, !=, &&, always(). */
function evaluate(expr: string, ctx: Context, failed: boolean): string | boolean {
  const tokens = expr.match(/'[^']*'|==|!=|&&|always\(\)|[\w.-]+/g) ?? [];
  const value = (t: string): string | boolean => {
    if (t.startsWith("'")) return t.slice(1, -1);
    if (t === 'always()') return true;
    const [scope, a, b, c] = t.split('.');
    if (scope === 'inputs') return ctx.inputs[a!] ?? '';
    if (scope === 'steps' && b === 'outputs') return ctx.steps[a!]?.outputs[c!] ?? '';
    throw new Error(`unsupported expression token ${t}`);
  };
  const clauses = tokens.join(' ').split(' && ');
  const results = clauses.map((clause) => {
    const [l, op, r] = clause.split(' ');
    if (op === undefined) return value(l!);
    return op === '==' ? value(l!) === value(r!) : value(l!) !== value(r!);
  });
  // Without a status function, GitHub adds success(): skip once an earlier step failed.
  if (!expr.includes('always()') && failed) return false;
  return results.length === 1 ? results[0]! : results.every((x) => x === true);
}

function substitute(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => String(evaluate(e, ctx, false)));
}

interface ActionRun {
  ran: string[];
  uploads: Array<Record<string, string>>;
  outputs: Record<string, string>;
  stdout: string;
  /** Exit code of the first failing step, else 0: the job step's result. */
  code: number;
}

function runAction(workspace: string, withInputs: Record<string, string>): ActionRun {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, withInputs[k] ?? v.default ?? '']));
  const ctx: Context = { inputs, steps: {} };
  const result: ActionRun = { ran: [], uploads: [], outputs: {}, stdout: '', code: 0 };
  for (const step of action.runs.steps) {
    const cond = step.if === undefined ? result.code === 0 : evaluate(step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, ''), ctx, result.code !== 0);
    if (cond !== true) continue;
    result.ran.push(step.name);
    if (step.uses) {
      result.uploads.push(Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(v, ctx)])));
      continue;
    }
    expect(step.shell).toBe('bash');
    const dir = mkdtempSync(join(tmpdir(), 'zerodrop-action-step-'));
    temps.push(dir);
    const script = join(dir, 'step.sh');
    const outputFile = join(dir, 'output');
    writeFileSync(script, step.run!);
    writeFileSync(outputFile, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, ctx)]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        GITHUB_ACTION_PATH: repoRoot,
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputFile,
        ...env,
      },
      timeout: 120_000,
    });
    result.stdout += r.stdout;
    const outputs = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    if (step.id) ctx.steps[step.id] = { outputs };
    if (r.status !== 0 && result.code === 0) result.code = r.status ?? 1;
  }
  result.outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, substitute(v.value, ctx)]));
  return result;
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-action-'));
  temps.push(dir);
  cpSync(join(fixturesDir, 'kustomize-origins'), join(dir, 'deploy'), { recursive: true });
  cpSync(join(fixturesDir, 'pre-commit', 'plain'), join(dir, 'plain'), { recursive: true });
  return dir;
}

describe('action.yml', () => {
  it('is a composite action whose scripts read inputs only from the environment', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) if (s.run) expect(s.run, s.name).not.toContain('${{');
  });

  it.skipIf(!kubectlPresent)('findings: SARIF written and uploaded, annotations on the traced lines, then the job fails with exit 1', () => {
    const ws = workspace();
    const r = runAction(ws, { paths: 'deploy/overlays/staging' });
    expect(r.ran).toEqual(['zerodrop audit', 'Upload SARIF to code scanning', 'Fail on findings']);
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'zerodrop.sarif' });
    expect(r.uploads).toEqual([{ sarif_file: 'zerodrop.sarif', category: 'zerodrop' }]);
    const sarif = JSON.parse(readFileSync(join(ws, 'zerodrop.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('grace-period-exhausted');
    expect(r.stdout).toMatch(/^::error file=deploy\/overlays\/staging\/grace\.yaml,line=8,col=38,title=zerodrop grace-period-exhausted::/m);
    expect(r.code).toBe(1);
  });

  it('a clean tree: uploads, does not fail', () => {
    const r = runAction(workspace(), { paths: 'plain' });
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.ran).toEqual(['zerodrop audit', 'Upload SARIF to code scanning']);
    expect(r.code).toBe(0);
  });

  it('inputs: fail-on never, extra args split into words, annotations and upload off', () => {
    const ws = workspace();
    const r = runAction(ws, {
      paths: 'plain deploy/base',
      'fail-on': 'never',
      args: '--drain-seconds 40 --kubernetes-version 1.29',
      annotations: 'false',
      'upload-sarif': 'false',
    });
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.ran).toEqual(['zerodrop audit']);
    expect(r.stdout).not.toContain('::');
    const sarif = JSON.parse(readFileSync(join(ws, 'zerodrop.sarif'), 'utf8'));
    // --drain-seconds 40 pushes preStop + drain past the 30 s grace period of plain/deployment.yaml.
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'grace-period-exhausted')).toBe(true);
  });

  it('input errors: the report is still uploaded and the job fails with exit 2', () => {
    const r = runAction(workspace(), { paths: 'plain missing.yaml' });
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.ran).toEqual(['zerodrop audit', 'Upload SARIF to code scanning', 'Fail on findings']);
    expect(r.code).toBe(2);
  });

  it('an input is data, never shell code', () => {
    const ws = workspace();
    const r = runAction(ws, { paths: 'plain $(touch pwned) `touch pwned2`', 'upload-sarif': 'false' });
    expect(existsSync(join(ws, 'pwned')) || existsSync(join(ws, 'pwned2'))).toBe(false);
    expect(r.outputs['exit-code']).toBe('2');
  });

  it("prefers the repository's own zerodrop from node_modules", () => {
    const ws = workspace();
    const bin = join(ws, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'zerodrop'), `#!/bin/sh\necho "$@" >> "${join(ws, 'used-local')}"\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    chmodSync(join(bin, 'zerodrop'), 0o755);
    const r = runAction(ws, { paths: 'plain' });
    expect(r.outputs['exit-code']).toBe('0');
    expect(readFileSync(join(ws, 'used-local'), 'utf8')).toContain('audit plain --fail-on error --format sarif --output zerodrop.sarif');
  });
});
