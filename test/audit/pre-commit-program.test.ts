/**
 * Our hooks driven by the real pre-commit program on a real git repository: pre-commit picks the
 * staged files each hook's `files` matches, passes them to its `entry`, and turns the exit code
 * into Passed/Failed/Skipped. The hooks are declared as `repo: local` with `language: system` and
 * the same id, entry, files and require_serial as .pre-commit-hooks.yaml, so pre-commit finds
 * `zerodrop` on PATH instead of `npm install`ing this repository from the registry (what a
 * `language: node` hook does first, which this machine cannot reach).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cliPath, fixturesDir, repoRoot } from './cli.js';

const PRE_COMMIT = '/usr/bin/pre-commit';
if (!existsSync(PRE_COMMIT)) process.stderr.write(`\n!! ${PRE_COMMIT} missing (Debian package pre-commit): the real pre-commit program tests SKIP\n\n`);

interface Hook {
  id: string;
  name: string;
  entry: string;
  files: string;
  require_serial?: boolean;
}

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A git repository holding the hook fixtures, our hooks as local system hooks, and `zerodrop` on a bin directory. */
function repository() {
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-pre-commit-'));
  temps.push(dir);
  const work = join(dir, 'work');
  cpSync(join(fixturesDir, 'pre-commit'), work, { recursive: true });
  const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const local = hooks.map((h) => ({ id: h.id, name: h.name, entry: h.entry, language: 'system', files: h.files, require_serial: h.require_serial }));
  writeFileSync(join(work, '.pre-commit-config.yaml'), stringify({ repos: [{ repo: 'local', hooks: local }] }));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'zerodrop'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(join(bin, 'zerodrop'), 0o755);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    PRE_COMMIT_HOME: join(dir, 'cache'),
    NO_COLOR: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'zerodrop',
    GIT_AUTHOR_EMAIL: 'zerodrop@example.invalid',
    GIT_COMMITTER_NAME: 'zerodrop',
    GIT_COMMITTER_EMAIL: 'zerodrop@example.invalid',
  };
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: work, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  };
  git('init', '-q');
  git('add', '.pre-commit-config.yaml', 'README.md');
  git('commit', '-q', '-m', 'start');
  /** `pre-commit run` on what is staged, as the git hook would run it. */
  const run = (staged: string[]) => {
    git('add', ...staged);
    return spawnSync(PRE_COMMIT, ['run', '--color', 'never'], { cwd: work, env, encoding: 'utf8', timeout: 120_000 });
  };
  return { run };
}

describe.skipIf(!existsSync(PRE_COMMIT))('the hooks under the real pre-commit program', () => {
  it('fails the commit on a Dockerfile whose CMD hides SIGTERM, and passes the manifest beside it', () => {
    const r = repository().run(['images/Dockerfile', 'plain/deployment.yaml']);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^zerodrop audit \(Kubernetes manifests\)\.+Passed$/m);
    expect(r.stdout).toMatch(/^zerodrop audit \(Dockerfiles\)\.+Failed$/m);
    expect(r.stdout).toContain('dockerfile-shell-form');
    expect(r.stdout).toContain('images/Dockerfile');
  });

  it('passes a commit whose files have no findings, and skips the hook that no staged file matches', () => {
    const repo = repository();
    const clean = repo.run(['images/worker.Dockerfile']);
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^zerodrop audit \(Dockerfiles\)\.+Passed$/m);
    expect(clean.stdout).toMatch(/^zerodrop audit \(Kubernetes manifests\)\.+\(no files to check\)Skipped$/m);
  });
});
