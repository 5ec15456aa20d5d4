/**
 * docs/ci.md holds to the artifacts it documents: every `zerodrop audit` command in its snippets
 * runs (flags and formats exist, reports get written), the action inputs it shows exist in
 * action.yml, and its pre-commit hook ids and local hook match .pre-commit-hooks.yaml.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, fixturesDir, repoRoot } from './cli.js';
import { kubectlPresent } from './positions.js';

const doc = readFileSync(join(repoRoot, 'docs', 'ci.md'), 'utf8');
const blocks = [...doc.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml').map((b) => parse(b.body) as any);

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** The audit commands of every snippet, `npx … zerodrop` and shell glue stripped. */
const commands = blocks
  .flatMap((b) => b.body.split('\n'))
  .map((l) => l.replace(/^\s*(- (run: )?)?/, ''))
  .filter((l) => /npx (--yes |--no-install )?zerodrop audit /.test(l) && !l.startsWith('entry:'));

describe('docs/ci.md', () => {
  it('shows audit commands for every CI format', () => {
    const text = commands.join('\n');
    for (const f of ['github', 'sarif', 'codequality', 'junit']) expect(text).toContain(`--format ${f}`);
  });

  it.skipIf(!kubectlPresent).each(commands)('runs as written: %s', (line) => {
    const ws = mkdtempSync(join(tmpdir(), 'zerodrop-docs-'));
    temps.push(ws);
    for (const d of ['base', 'components', 'overlays/staging']) cpSync(join(fixturesDir, 'kustomize-origins', d), join(ws, 'k8s', d), { recursive: true });
    cpSync(join(fixturesDir, 'pre-commit', 'images', 'worker.Dockerfile'), join(ws, 'Dockerfile'));
    cpSync(join(fixturesDir, 'helm', 'charts'), join(ws, 'charts'), { recursive: true });
    const helmStream = join(fixturesDir, 'helm', 'shop-rendered.yaml');
    const audit = line
      .replace(/\s*\|\| status=\$\?$/, '')
      .replace(/^helm template \S+ \S+ \| /, '')
      .replace(/npx (--yes |--no-install )?zerodrop /, '');
    const args = audit.split(/\s+/).filter(Boolean);
    const r = spawnSync(process.execPath, [cliPath, ...args], {
      cwd: ws,
      encoding: 'utf8',
      input: line.startsWith('helm template') ? readFileSync(helmStream, 'utf8') : '',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/^error /m);
    expect([0, 1]).toContain(r.status);
    const out = args.indexOf('--output');
    if (out >= 0) expect(existsSync(join(ws, args[out + 1]!))).toBe(true);
  });

  it('the action snippet uses inputs action.yml declares', () => {
    const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8'));
    const used = yamlBlocks
      .flatMap((y) => Object.values(y?.jobs ?? {}).flatMap((j: any) => j.steps ?? []))
      .filter((s: any) => String(s.uses ?? '').startsWith('zerodrop-dev/zerodrop@'));
    expect(used.length).toBe(1);
    for (const key of Object.keys(used[0].with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    // The prose list of inputs names each as `name` followed by its default or a comma.
    const prose = doc.slice(doc.indexOf('Inputs (all optional)'), doc.indexOf('Outputs:'));
    const listed = [...prose.matchAll(/`([a-z]+(?:-[a-z]+)*)`(?= \(|,)/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('the pre-commit snippets name the hooks of .pre-commit-hooks.yaml, and the local one runs the same command on the same files', () => {
    const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as any[];
    const repos = yamlBlocks.flatMap((y) => y?.repos ?? []);
    const remote = repos.find((r: any) => r.repo !== 'local');
    expect(remote.hooks.map((h: any) => h.id)).toEqual(hooks.map((h) => h.id));
    const local = repos.find((r: any) => r.repo === 'local').hooks[0];
    const same = hooks.find((h) => h.id === local.id);
    expect(local.entry).toBe(`npx --no-install ${same.entry}`);
    expect(local.files).toBe(same.files);
    expect(local.require_serial).toBe(same.require_serial);
  });
});
