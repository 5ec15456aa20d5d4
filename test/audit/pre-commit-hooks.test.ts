/**
 * The hooks of .pre-commit-hooks.yaml, run the way pre-commit runs them: from the repository
 * root, the `entry` split into words, then `args`, then the staged files that match `files`
 * (a Python regular expression searched in the path), with the hook's installed `zerodrop` on
 * PATH. pre-commit itself is not driven (its node hooks `npm install` the hook repository from
 * the registry first); its contract with the hook is what is exercised here.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, fixturesDir, repoRoot } from './cli.js';
import { kubectlPresent } from './positions.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  args?: string[];
  pass_filenames?: boolean;
  require_serial?: boolean;
}
const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string) => hooks.find((h) => h.id === id)!;

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A repository with every fixture layout, and a bin directory holding `zerodrop` as a node hook environment does. */
const repo = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-hook-'));
  temps.push(dir);
  cpSync(join(fixturesDir, 'pre-commit'), dir, { recursive: true });
  cpSync(join(fixturesDir, 'kustomize-origins'), join(dir, 'deploy'), { recursive: true });
  cpSync(join(fixturesDir, 'helm', 'charts'), join(dir, 'charts'), { recursive: true });
  const bin = join(dir, '.hook-env', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'zerodrop'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(join(bin, 'zerodrop'), 0o755);
  return { dir, bin };
})();

function runHook(id: string, staged: string[]) {
  const h = hook(id);
  // pre-commit's filter: re.search(files, path); the patterns here mean the same in JavaScript.
  const files = staged.filter((f) => new RegExp(h.files).test(f));
  const argv = [...h.entry.split(' '), ...(h.args ?? []), ...(h.pass_filenames === false ? [] : files)];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: repo.dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${repo.bin}:${process.env.PATH}`, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { files, code: r.status, out: r.stdout, err: r.stderr };
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares node hooks for manifests and Dockerfiles that take file names and run serially', () => {
    expect(hooks.map((h) => h.id)).toEqual(['zerodrop-manifests', 'zerodrop-dockerfiles']);
    for (const h of hooks) {
      expect(h.language).toBe('node');
      expect(h.entry).toMatch(/^zerodrop audit\b/);
      expect(h.entry).not.toMatch(/["'\\]/); // split on spaces above, as shlex would
      expect(h.pass_filenames).not.toBe(false);
      expect(h.require_serial).toBe(true);
    }
  });

  it('the manifest hook selects YAML and JSON, the Dockerfile hook Dockerfiles and Containerfiles', () => {
    const staged = ['a.yaml', 'k/b.yml', 'c.json', 'Dockerfile', 'img/Dockerfile.prod', 'img/api.Dockerfile', 'Containerfile', 'README.md'];
    const pick = (id: string) => staged.filter((f) => new RegExp(hook(id).files).test(f));
    expect(pick('zerodrop-manifests')).toEqual(['a.yaml', 'k/b.yml', 'c.json']);
    expect(pick('zerodrop-dockerfiles')).toEqual(['Dockerfile', 'img/Dockerfile.prod', 'img/api.Dockerfile', 'Containerfile']);
  });
});

describe.skipIf(!kubectlPresent)('zerodrop-manifests on a commit', () => {
  it('a changed overlay patch is audited through its overlay, and reported on its own lines', () => {
    const r = runHook('zerodrop-manifests', ['deploy/overlays/staging/grace.yaml', 'README.md']);
    expect(r.files).toEqual(['deploy/overlays/staging/grace.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^error grace-period-exhausted .*\n(?: .*\n)*? {2}deploy\/overlays\/staging\/grace\.yaml\n {4}8:38 /m);
    // The overlay's other findings live in files this commit did not touch.
    expect(r.out).not.toContain('deploy/base/deployment.yaml');
    expect(r.out).not.toContain('single-replica');
  });

  it('a changed base file reports its own findings', () => {
    const r = runHook('zerodrop-manifests', ['deploy/base/deployment.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}deploy\/base\/deployment\.yaml\n/m);
    expect(r.out).toContain('prestop-missing');
  });

  it('a Deployment whose PodDisruptionBudget is in the next file is not reported as missing one', () => {
    const alone = spawnSync(process.execPath, [cliPath, 'audit', 'plain/deployment.yaml', '--format', 'json'], { cwd: repo.dir, encoding: 'utf8' });
    expect(JSON.parse(alone.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('pdb-missing');
    const r = runHook('zerodrop-manifests', ['plain/deployment.yaml']);
    expect(r.out).toBe('No findings.\n');
    expect(r.code).toBe(0);
  });

  it('a kustomize component file and a Helm template are skipped with the reason, not failed', () => {
    const r = runHook('zerodrop-manifests', ['deploy/components/probes/liveness.yaml', 'charts/shop/templates/deployment.yaml', 'charts/shop/Chart.yaml']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('not audited: deploy/components/probes/liveness.yaml: part of a kustomize component');
    expect(r.err).toContain('not audited: charts/shop/templates/deployment.yaml: a Helm template');
    expect(r.err).toContain('helm template charts/shop | zerodrop audit - --chart-root charts/shop');
  });
});

describe('zerodrop-dockerfiles on a commit', () => {
  it('fails on the Dockerfile whose CMD hides SIGTERM from the app, passes the exec-form one', () => {
    const r = runHook('zerodrop-dockerfiles', ['images/Dockerfile', 'images/worker.Dockerfile', 'plain/service.yaml']);
    expect(r.files).toEqual(['images/Dockerfile', 'images/worker.Dockerfile']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^error dockerfile-shell-form .*\n(?: .*\n)*? {2}images\/Dockerfile\n {4}4:1\b/m);
    expect(r.out).not.toContain('images/worker.Dockerfile');
    expect(runHook('zerodrop-dockerfiles', ['images/worker.Dockerfile']).code).toBe(0);
  });
});
